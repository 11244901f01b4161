import Foundation
import ParleyCore
import SQLKit

/// Requests and tokens of one subject (a user or a key) on one UTC day.
public struct UsageDay: Sendable, Hashable, Codable {
    public var day: String
    public var requests: Int
    public var promptTokens: Int
    public var completionTokens: Int

    public var totalTokens: Int { promptTokens + completionTokens }

    enum CodingKeys: String, CodingKey {
        case day, requests
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    public init(day: String, requests: Int, promptTokens: Int, completionTokens: Int) {
        self.day = day
        self.requests = requests
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            day: try container.decode(String.self, forKey: .day), requests: try container.decode(Int.self, forKey: .requests),
            promptTokens: try container.decode(Int.self, forKey: .promptTokens),
            completionTokens: try container.decode(Int.self, forKey: .completionTokens))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(day, forKey: .day)
        try container.encode(requests, forKey: .requests)
        try container.encode(promptTokens, forKey: .promptTokens)
        try container.encode(completionTokens, forKey: .completionTokens)
        try container.encode(totalTokens, forKey: .totalTokens)
    }

    /// Today's key in UTC, `YYYY-MM-DD`.
    public static func key(for date: Date = Date()) -> String {
        String(Timestamp(milliseconds: Int64(date.timeIntervalSince1970 * 1000)).iso8601.prefix(10))
    }
}

extension Store {
    /// Adds to the counters of several subjects (a user and the key they used) for a day, in one transaction.
    public func addUsage(subjects: [String], day: String, requests: Int, promptTokens: Int, completionTokens: Int)
        async throws
    {
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            for subject in subjects {
                try await sql.raw(
                    """
                    INSERT INTO usage_daily (subject, day, requests, prompt_tokens, completion_tokens)
                    VALUES (\(bind: subject), \(bind: day), \(bind: requests), \(bind: promptTokens),
                        \(bind: completionTokens))
                    ON CONFLICT (subject, day) DO UPDATE SET requests = usage_daily.requests + excluded.requests,
                        prompt_tokens = usage_daily.prompt_tokens + excluded.prompt_tokens,
                        completion_tokens = usage_daily.completion_tokens + excluded.completion_tokens
                    """
                ).run()
            }
        }
    }

    /// A subject's counters, newest day first, for the last `days` days that have any.
    public func usage(subject: String, days: Int) async throws -> [UsageDay] {
        let rows = try await sql.raw(
            "SELECT * FROM usage_daily WHERE subject = \(bind: subject) ORDER BY day DESC LIMIT \(bind: days)"
        ).all()
        return try rows.map { row in
            UsageDay(
                day: try row.string("day"), requests: Int(try row.int64("requests")),
                promptTokens: Int(try row.int64("prompt_tokens")), completionTokens: Int(try row.int64("completion_tokens")))
        }
    }

    /// Tokens a subject used on a day.
    public func tokensUsed(subject: String, day: String) async throws -> Int {
        let row = try await sql.raw(
            """
            SELECT prompt_tokens + completion_tokens AS tokens FROM usage_daily
            WHERE subject = \(bind: subject) AND day = \(bind: day)
            """
        ).first()
        return Int(try row?.int64("tokens") ?? 0)
    }
}
