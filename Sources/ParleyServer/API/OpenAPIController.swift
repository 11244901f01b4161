import Foundation
import Hummingbird
import ParleyCore
import Yams

/// Serves the OpenAPI 3.1 document of `/api/v1` (kept in the repository as YAML) as JSON.
struct OpenAPIController {
    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("openapi.json", use: document)
    }

    @Sendable func document(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[.cacheControl] = "public, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try Self.json.get())))
    }

    static let json: Result<Data, ParleyError> = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8),
            let object = try? Yams.load(yaml: text),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return .failure(.internal("the OpenAPI document is missing from this build")) }
        return .success(data)
    }()
}
