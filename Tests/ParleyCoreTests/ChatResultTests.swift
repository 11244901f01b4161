import ParleyCore
import Testing

@Suite struct ChatResultTests {
    @Test func collectsTextAndToolCallPiecesIntoOneAnswer() {
        var result = ChatResult()
        result.apply(.delta("Hel"))
        result.apply(.delta("lo"))
        result.apply(.toolCall(ToolCallDelta(index: 0, id: "call_1", name: "get_weather", arguments: "{\"ci")))
        result.apply(.toolCall(ToolCallDelta(index: 0, arguments: "ty\":\"Oslo\"}")))
        result.apply(.usage(Usage(promptTokens: 3, completionTokens: 2)))
        result.apply(.finish(.toolCalls))
        #expect(result.text == "Hello")
        #expect(result.toolCalls == [ToolCall(id: "call_1", name: "get_weather", arguments: "{\"city\":\"Oslo\"}")])
        #expect(result.usage?.totalTokens == 5)
        #expect(result.finishReason == .toolCalls)
    }
}
