import ParleyCore

/// A model's chat template (`tokenizer.chat_template` in GGUF metadata): a Jinja template that
/// turns a conversation into the prompt text the model was trained on.
///
/// Rendering follows transformers' `apply_chat_template` byte for byte: Jinja with
/// `trim_blocks` and `lstrip_blocks`, the sandbox's rules, `raise_exception`, `strftime_now`, and
/// transformers' `tojson`. A template using a feature outside the supported Jinja subset fails
/// with a `TemplateError` that names it, never with a silently different prompt.
public struct ChatTemplate: Sendable {
    /// The template text.
    public let source: String
    private let nodes: [JinjaNode]

    /// ChatML (`<|im_start|>role\ncontent<|im_end|>`), for models whose GGUF file carries no
    /// template, as llama.cpp falls back to it.
    public static let chatML: ChatTemplate = {
        let source = """
            {%- for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] \
            + '<|im_end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}
            """
        // The source is a constant that the tests parse; it cannot fail.
        return try! ChatTemplate(source: source)
    }()

    /// Parses a template.
    /// - Throws: `TemplateError` (kind `.syntax` or `.unsupported`) with the line and column.
    public init(source: String) throws {
        self.source = source
        self.nodes = try JinjaParser.parse(source)
    }

    /// Renders with variables given directly (`messages`, `add_generation_prompt`, `bos_token`,
    /// and whatever else the template reads). Variables not given are undefined.
    /// - Throws: `TemplateError`; kind `.raised` when the template called `raise_exception`, with
    ///   exactly its message.
    public func render(context: [String: TemplateValue]) throws -> String {
        try JinjaInterpreter(context: context.mapValues(JinjaValue.init)).render(nodes)
    }

    /// Renders a conversation as transformers does: `messages`, `tools` and `documents` (`None`
    /// when not given), `add_generation_prompt`, `bos_token` and `eos_token`, then `extra`
    /// (which may override any of them, and add others such as `date_string`).
    public func render(
        messages: [TemplateValue],
        addGenerationPrompt: Bool,
        bosToken: String = "",
        eosToken: String = "",
        tools: [TemplateValue]? = nil,
        extra: [String: TemplateValue] = [:]
    ) throws -> String {
        var context: [String: TemplateValue] = [
            "messages": .array(messages),
            "tools": tools.map(TemplateValue.array) ?? .null,
            "documents": .null,
            "add_generation_prompt": .bool(addGenerationPrompt),
            "bos_token": .string(bosToken),
            "eos_token": .string(eosToken),
        ]
        context.merge(extra) { _, new in new }
        return try render(context: context)
    }

    /// Renders typed messages; see `render(messages:addGenerationPrompt:bosToken:eosToken:tools:extra:)`.
    public func render(
        messages: [TemplateMessage],
        addGenerationPrompt: Bool,
        bosToken: String = "",
        eosToken: String = "",
        tools: [TemplateValue]? = nil,
        extra: [String: TemplateValue] = [:]
    ) throws -> String {
        try render(
            messages: messages.map(\.templateValue), addGenerationPrompt: addGenerationPrompt,
            bosToken: bosToken, eosToken: eosToken, tools: tools, extra: extra)
    }

    /// Renders a canonical request's messages and tools (no tools: `tools` is `None`).
    public func render(
        _ messages: [ChatMessage],
        tools: [ToolDefinition] = [],
        addGenerationPrompt: Bool = true,
        bosToken: String = "",
        eosToken: String = "",
        extra: [String: TemplateValue] = [:]
    ) throws -> String {
        try render(
            messages: messages.map(TemplateMessage.init), addGenerationPrompt: addGenerationPrompt,
            bosToken: bosToken, eosToken: eosToken, tools: tools.isEmpty ? nil : tools.map(\.templateValue),
            extra: extra)
    }
}
