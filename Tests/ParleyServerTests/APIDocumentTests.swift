import Foundation
import Hummingbird
import Logging
import ParleyCore
import ParleyKnowledge
import ParleyStorage
import Testing

@testable import ParleyServer

/// The OpenAPI document of `/api/v1` against the routes the controllers register: a route missing
/// from the document, or a documented route that does not exist, fails here.
@Suite struct APIDocumentTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    @Test func everyRegisteredRouteIsDocumentedAndNothingElse() async throws {
        let registered = try await Self.registeredRoutes()
        #expect(registered.count > 40, "the controllers register the whole API")
        let documented = try await withParley { parley in
            let reply = try await parley.get("/api/v1/openapi.json")
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"] == "application/json")
            return try Self.documentedRoutes(try #require(reply.json))
        }
        let undocumented = registered.subtracting(documented).sorted()
        let unregistered = documented.subtracting(registered).sorted()
        #expect(undocumented.isEmpty, "registered but not in openapi.yaml: \(undocumented)")
        #expect(unregistered.isEmpty, "in openapi.yaml but not registered: \(unregistered)")
    }

    @Test func everyReferenceInTheDocumentResolves() async throws {
        let document = try JSONValue.parse(try OpenAPIController.json.get())
        #expect(document["openapi"] == "3.1.0")
        var references: [String] = []
        Self.collectReferences(document, into: &references)
        #expect(references.count > 100)
        for reference in Set(references).sorted() {
            #expect(Self.resolve(reference, in: document) != nil, "\(reference) points at nothing")
        }
    }

    @Test func everyOperationDocumentsItsSuccessAndItsErrors() async throws {
        let document = try JSONValue.parse(try OpenAPIController.json.get())
        for (path, item) in try #require(document["paths"]?.objectValue) {
            for (method, operation) in try #require(item.objectValue) where Self.methods.contains(method) {
                let statuses = Set(operation["responses"]?.objectValue?.keys.map { $0 } ?? [])
                #expect(statuses.contains { $0.hasPrefix("2") }, "\(method) \(path) documents no success")
                #expect(statuses.contains("500"), "\(method) \(path) does not document 500")
                if operation["requestBody"] != nil {
                    #expect(statuses.isSuperset(of: ["400", "413"]), "\(method) \(path) takes a body: 400 and 413")
                }
                #expect(operation["operationId"]?.stringValue != nil, "\(method) \(path) has no operationId")
            }
        }
    }

    /// The routes `addAPIRoutes` registers, as `METHOD /api/v1/path/{param}`, read from the router.
    static func registeredRoutes() async throws -> Set<String> {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-routes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "parley.test")
        logger.logLevel = .critical
        var configuration = ParleyConfiguration(dataDirectory: directory)
        configuration.providers = []
        let store = try await Store.open(url: nil, dataDirectory: directory, logger: logger)
        let (modelRouter, client) = try makeModelRouter(configuration: configuration, logger: logger)
        let registry = ProviderRegistry(
            store: store, router: modelRouter, client: client, configuration: configuration, logger: logger)
        let router = Router(context: ParleyRequestContext.self)
        let knowledge = KnowledgeBase(store: store, settings: KnowledgeSettings(), embedder: nil, logger: logger)
        addAPIRoutes(
            to: router.group("api/v1"), store: store, registry: registry,
            security: Security(configuration: configuration, store: store, logger: logger), knowledge: knowledge,
            configuration: configuration)
        try await knowledge.shutdown()
        try await client.shutdown()
        await store.close()
        return Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
    }

    /// The operations of the document, as `METHOD /server-url/path`.
    static func documentedRoutes(_ document: JSONValue) throws -> Set<String> {
        let base = try #require(document["servers"]?.arrayValue?.first?["url"]?.stringValue)
        var routes = Set<String>()
        for (path, item) in try #require(document["paths"]?.objectValue) {
            for method in try #require(item.objectValue).keys where methods.contains(method) {
                routes.insert("\(method.uppercased()) \(base)\(path)")
            }
        }
        return routes
    }

    static func collectReferences(_ value: JSONValue, into references: inout [String]) {
        switch value {
        case .object(let object):
            if let reference = object["$ref"]?.stringValue { references.append(reference) }
            for child in object.values { collectReferences(child, into: &references) }
        case .array(let items):
            for child in items { collectReferences(child, into: &references) }
        default:
            break
        }
    }

    /// A local JSON pointer (`#/components/schemas/User`) in the document.
    static func resolve(_ reference: String, in document: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for token in reference.dropFirst(2).split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }
}
