import Foundation

/// What the mock upstream does for one request, read from `[mock:key=value]` directives in the
/// last user message, so a test scripts a reply by what it sends.
///
/// Directives: `fault=500|400|429|hang|stall|malformed|drop`, `tokens=N` (reply length),
/// `delay=MS` (between tokens), `latency=MS` (before the response starts), `tool=NAME` (answer
/// with a call of that tool), `reply=TEXT_WITH_UNDERSCORES` (exact reply; `_` becomes a space).
public struct MockScript: Sendable, Equatable {
    public enum Fault: String, Sendable {
        case status500 = "500"
        case status400 = "400"
        case status429 = "429"
        case hang
        case malformed
        case drop
        /// Sends the first pieces of a stream, then goes silent.
        case stall
    }

    public var fault: Fault?
    public var tokenCount: Int?
    public var tokenDelayMilliseconds: Int?
    public var latencyMilliseconds: Int?
    public var toolName: String?
    public var reply: String?
    /// The user's text with the directives removed.
    public var userText: String

    public init(text: String) {
        var remaining = text
        var fault: Fault?
        var tokenCount: Int?
        var delay: Int?
        var latency: Int?
        var tool: String?
        var reply: String?
        while let start = remaining.range(of: "[mock:"),
            let end = remaining.range(of: "]", range: start.upperBound..<remaining.endIndex)
        {
            let directive = remaining[start.upperBound..<end.lowerBound]
            let pair = directive.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 {
                switch pair[0] {
                case "fault": fault = Fault(rawValue: pair[1])
                case "tokens": tokenCount = Int(pair[1])
                case "delay": delay = Int(pair[1])
                case "latency": latency = Int(pair[1])
                case "tool": tool = pair[1]
                case "reply": reply = pair[1].replacingOccurrences(of: "_", with: " ")
                default: break
                }
            }
            remaining.removeSubrange(start.lowerBound..<end.upperBound)
        }
        self.fault = fault
        self.tokenCount = tokenCount
        self.tokenDelayMilliseconds = delay
        self.latencyMilliseconds = latency
        self.toolName = tool
        self.reply = reply
        self.userText = remaining.trimmingCharacters(in: .whitespaces)
    }

    /// The reply, cut into the pieces the mock streams (a word and its leading space each).
    public func replyPieces(maxTokens: Int?) -> (pieces: [String], truncated: Bool) {
        var pieces: [String]
        if let reply {
            pieces = Self.split(reply)
        } else {
            pieces = Self.split("Hello from the mock upstream. You said: \(userText)".trimmingCharacters(in: .whitespaces))
        }
        if let tokenCount {
            let filler = Self.split(
                "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore"
            )
            var index = 0
            while pieces.count < tokenCount {
                pieces.append(" " + filler[index % filler.count].trimmingCharacters(in: .whitespaces))
                index += 1
            }
            pieces = Array(pieces.prefix(tokenCount))
        }
        if let maxTokens, maxTokens >= 0, pieces.count > maxTokens {
            return (Array(pieces.prefix(maxTokens)), true)
        }
        return (pieces, false)
    }

    static func split(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            if character == " ", !current.isEmpty, current != " " {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Crude token count of a text, the same on every surface of the mock.
    public static func countTokens(_ text: String) -> Int {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
    }
}

