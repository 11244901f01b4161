import ParleyInference
import Testing

/// Every rendering recorded with Python's jinja2 (transformers' environment) must come out of
/// `ChatTemplate` byte for byte, and every case where Python raised must raise here too.
@Suite("Chat templates render exactly as transformers does")
struct ChatTemplateFixtureTests {
    static let chatCases = ChatTemplateFixture.load("chat_templates")
    static let featureCases = ChatTemplateFixture.load("jinja_features")

    @Test func fixturesAreCommittedAndReadable() throws {
        let chat = try ChatTemplateFixture.loadOrThrow("chat_templates")
        let features = try ChatTemplateFixture.loadOrThrow("jinja_features")
        #expect(chat.count > 200)
        #expect(features.count > 100)
        // The default model's own template is among them.
        #expect(chat.contains { $0.name.hasPrefix("smollm2/") })
    }

    @Test(arguments: chatCases)
    func modelTemplateMatchesPython(_ fixture: ChatTemplateFixture) {
        check(fixture)
    }

    @Test(arguments: featureCases)
    func jinjaFeatureMatchesPython(_ fixture: ChatTemplateFixture) {
        check(fixture)
    }

    private func check(_ fixture: ChatTemplateFixture) {
        let template: ChatTemplate
        do {
            template = try ChatTemplate(source: fixture.source)
        } catch let error as TemplateError {
            guard let expected = fixture.error, expected.stage == "parse" else {
                Issue.record("parsing failed, Python parsed it: \(error)")
                return
            }
            #expect(error.kind == .syntax || error.kind == .unsupported, "\(error)")
            #expect(error.line != nil, "a syntax error says where it is: \(error)")
            return
        } catch {
            Issue.record("unexpected error \(error)")
            return
        }
        if let expected = fixture.error, expected.stage == "parse" {
            Issue.record("parsed, but Python refused it: \(expected.type): \(expected.message)")
            return
        }
        do {
            let output = try template.render(context: fixture.context)
            if let expected = fixture.error {
                Issue.record(
                    "rendered \(output.debugDescription), but Python raised \(expected.type): \(expected.message)")
            } else if output != fixture.expected
                || !output.unicodeScalars.elementsEqual(fixture.expected!.unicodeScalars)
            {
                Issue.record("rendered \(output.debugDescription)\n      Python \(fixture.expected!.debugDescription)")
            }
        } catch let error as TemplateError {
            guard let expected = fixture.error else {
                Issue.record("raised \(error), Python rendered \(fixture.expected!.debugDescription)")
                return
            }
            #expect(error.kind.description == kindDescription(expected.kind), "\(error) vs Python \(expected.type)")
            #expect(error.message == expected.message, "message differs from Python's")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    private func kindDescription(_ kind: String) -> String {
        switch kind {
        case "raised": return TemplateError.Kind.raised.description
        case "undefined": return TemplateError.Kind.undefined.description
        case "type": return TemplateError.Kind.type.description
        case "syntax": return TemplateError.Kind.syntax.description
        default: return TemplateError.Kind.runtime.description
        }
    }
}
