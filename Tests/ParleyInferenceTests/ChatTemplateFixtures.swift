import Foundation
import ParleyInference
import Testing

/// One rendering recorded by `scripts/fixtures/template_fixtures.py` with Python's jinja2.
struct ChatTemplateFixture: Sendable, CustomTestStringConvertible {
    struct ExpectedError: Sendable {
        /// `parse` or `render`.
        var stage: String
        /// The Python exception's class name.
        var type: String
        /// `syntax`, `raised`, `undefined`, `type` or `runtime`.
        var kind: String
        var message: String
    }

    var name: String
    var source: String
    var context: [String: TemplateValue]
    var expected: String?
    var error: ExpectedError?

    var testDescription: String { name }

    /// The cases of `Fixtures/templates/<file>.json`; empty when the file cannot be read (a
    /// separate test fails on that).
    static func load(_ file: String) -> [ChatTemplateFixture] {
        (try? loadOrThrow(file)) ?? []
    }

    static func loadOrThrow(_ file: String) throws -> [ChatTemplateFixture] {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw FixtureError("the Fixtures resource folder is missing")
        }
        let url = fixtures.appendingPathComponent("templates").appendingPathComponent(file + ".json")
        let text = try String(contentsOf: url, encoding: .utf8)
        // Ordered parsing: key order decides what `tojson` prints.
        let root = try TemplateValue.parseJSON(text)
        let templates = root["templates"]?.objectValue
        guard let cases = root["cases"]?.arrayValue else { throw FixtureError("\(file).json has no cases") }
        return try cases.map { item in
            guard let name = item["name"]?.stringValue, let context = item["context"]?.objectValue else {
                throw FixtureError("a case in \(file).json lacks a name or a context")
            }
            let source =
                item["source"]?.stringValue ?? item["template"]?.stringValue.flatMap { templates?[$0]?.stringValue }
            guard let source else { throw FixtureError("case \(name) has no template source") }
            var fixture = ChatTemplateFixture(
                name: name,
                source: source,
                context: Dictionary(uniqueKeysWithValues: zip(context.keys, context.values)),
                expected: item["expected"]?.stringValue)
            if let error = item["error"] {
                fixture.error = ExpectedError(
                    stage: error["stage"]?.stringValue ?? "",
                    type: error["type"]?.stringValue ?? "",
                    kind: error["kind"]?.stringValue ?? "",
                    message: error["message"]?.stringValue ?? "")
            }
            return fixture
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
