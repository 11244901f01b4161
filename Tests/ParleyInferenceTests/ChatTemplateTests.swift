import Foundation
import ParleyCore
import ParleyInference
import Testing

@Suite("Chat template API")
struct ChatTemplateTests {
    /// SmolLM2-135M-Instruct's template (its GGUF file has newlines where this has `\n` escapes).
    static let chatML = """
        {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}\
        {{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}\
        {% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}\
        {% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}
        """

    @Test func typedMessagesRenderLikeDictionaries() throws {
        let template = try ChatTemplate(source: Self.chatML)
        let typed = try template.render(
            messages: [TemplateMessage(role: "user", content: "Hi there")], addGenerationPrompt: true)
        let untyped = try template.render(
            context: ["messages": [["role": "user", "content": "Hi there"]], "add_generation_prompt": true])
        #expect(typed == untyped)
        #expect(
            typed == """
                <|im_start|>system
                You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
                <|im_start|>user
                Hi there<|im_end|>
                <|im_start|>assistant

                """)
    }

    @Test func canonicalMessagesRender() throws {
        let template = try ChatTemplate(source: Self.chatML)
        let prompt = try template.render([.system("Be brief."), .user("2+2?")], addGenerationPrompt: false)
        #expect(prompt == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n")
    }

    @Test func toolCallArgumentsKeepTheModelsKeyOrder() throws {
        let call = ToolCall(id: "c1", name: "get_weather", arguments: #"{"unit":"celsius","city":"Zürich","n":2}"#)
        let message = ChatMessage(role: .assistant, content: nil, toolCalls: [call])
        let template = try ChatTemplate(
            source: """
                {%- for m in messages %}{{ m.content }}|{% for c in m.tool_calls %}{{ c.id }} {{ c.function.name }} \
                {{ c.function.arguments | tojson }}{% endfor %}{% endfor %}
                """)
        let output = try template.render([message], addGenerationPrompt: false)
        #expect(output == #"None|c1 get_weather {"unit": "celsius", "city": "Zürich", "n": 2}"#)
    }

    @Test func toolsArePassedAsFunctionSchemas() throws {
        let tool = ToolDefinition(
            name: "lookup", description: "Look a word up.",
            parameters: .object(["type": .string("object"), "required": .array([.string("word")])]))
        let template = try ChatTemplate(
            source: "{% if tools %}{% for t in tools %}{{ t | tojson }}{% endfor %}{% endif %}|{{ tools is none }}")
        let output = try template.render([.user("x")], tools: [tool])
        #expect(
            output == #"{"type": "function", "function": {"name": "lookup", "description": "Look a word up.", "#
                + #""parameters": {"required": ["word"], "type": "object"}}}|False"#)
        // Without tools, `tools` is None (defined), as transformers passes it.
        #expect(try template.render([.user("x")]) == "|True")
    }

    @Test func syntaxErrorsSayWhereAndWhat() {
        #expect {
            try ChatTemplate(source: "line one\n  {% if messages %}\n{{ 1 + }}\n{% endif %}")
        } throws: { error in
            guard let error = error as? TemplateError else { return false }
            return error.kind == .syntax && error.line == 3 && error.column == 8
                && error.description.contains("line 3")
        }
        #expect {
            try ChatTemplate(source: "{% for m in messages %}{{ m }}")
        } throws: { error in
            guard let error = error as? TemplateError else { return false }
            return error.kind == .syntax && error.message.contains("'endfor'")
        }
    }

    @Test func unsupportedTagsAreNamed() {
        #expect {
            try ChatTemplate(source: "{% include 'other.jinja' %}")
        } throws: { error in
            guard let error = error as? TemplateError else { return false }
            return error.kind == .unsupported && error.message.contains("include")
        }
    }

    @Test func raiseExceptionKeepsTheTemplatesMessage() throws {
        let template = try ChatTemplate(
            source: """
                {% if messages[0].role == 'system' %}
                {{ raise_exception('System role not supported') }}
                {% endif %}
                """)
        #expect {
            try template.render([.system("s"), .user("u")])
        } throws: { error in
            guard let error = error as? TemplateError else { return false }
            return error.kind == .raised && error.message == "System role not supported" && error.line == 2
        }
    }

    @Test func renderingErrorsNameTheProblem() throws {
        let template = try ChatTemplate(source: "{{ messages[0].content.missing.deeper }}")
        #expect {
            try template.render([.user("hi")])
        } throws: { error in
            guard let error = error as? TemplateError else { return false }
            return error.kind == .undefined && error.message == "'str object' has no attribute 'missing'"
        }
    }

    @Test func strftimeNowFormatsTodaysDate() throws {
        let template = try ChatTemplate(source: "{{ strftime_now('%Y-%m-%d') }}|{{ strftime_now('%d %b %Y') }}")
        let output = try template.render(context: [:])
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd|dd MMM yyyy"
        #expect(output == formatter.string(from: Date()))
    }

    @Test func oneTemplateRendersFromManyTasksAtOnce() async throws {
        let template = try ChatTemplate(source: Self.chatML)
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<16 {
                group.addTask { try template.render([.user("message \(index % 2)")], addGenerationPrompt: true) }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(outputs.count == 2)
    }

    @Test func jsonParsingKeepsKeyOrder() throws {
        let value = try TemplateValue.parseJSON(#"{"b": 1, "a": [true, null, 2.5, "\u00e9\ud83d\ude00"], "c": {}}"#)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(value["a"] == [true, nil, 2.5, "é😀"])
        #expect(throws: TemplateError.self) { try TemplateValue.parseJSON("{\"a\": }") }
    }
}

@Suite("Chat template limits")
struct ChatTemplateLimitTests {
    @Test func deepButReasonableNestingRendersInATask() async throws {
        let depth = 90
        let source = "{{ " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + " }}"
        let output = try await Task { try ChatTemplate(source: source).render(context: [:]) }.value
        #expect(output == "1")
    }

    @Test func absurdNestingIsASyntaxError() {
        let source = "{{ " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + " }}"
        #expect {
            try ChatTemplate(source: source)
        } throws: { error in
            (error as? TemplateError)?.kind == .syntax
        }
        #expect(throws: TemplateError.self) { try ChatTemplate(source: String(repeating: "{% if x %}", count: 500)) }
    }

    @Test func runawayMacroRecursionStops() async throws {
        let template = try ChatTemplate(source: "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
        let result = await Task { () -> TemplateError? in
            do {
                _ = try template.render(context: [:])
                return nil
            } catch {
                return error as? TemplateError
            }
        }.value
        #expect(result?.message.contains("recursion") == true)
    }
}

@Suite("The ChatML fallback template")
struct ChatMLFallbackTests {
    @Test func rendersChatML() throws {
        let prompt = try ChatTemplate.chatML.render([.system("S"), .user("U")], addGenerationPrompt: true)
        #expect(prompt == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n")
    }
}
