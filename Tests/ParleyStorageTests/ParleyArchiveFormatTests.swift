import Foundation
import ParleyCore
import Testing

@testable import ParleyStorage

/// Reading Parley's chat export: what is accepted, and how a broken file is described.
@Suite struct ParleyArchiveFormatTests {
    struct Malformed: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var param: String?
        var status: Int
        var testDescription: String { name }
    }

    static let question = #"{"id": "q", "role": "user", "content": "Hi", "created_at": "2024-05-01T08:00:00.000Z"}"#
    static let answer =
        #"{"id": "a", "parent_id": "q", "role": "assistant", "content": "Hello", "created_at": 1714550401000}"#

    static func document(chat: String = #"{"title": "Greetings"}"#, messages: [String]) -> String {
        #"{"format": "parley.chat", "version": 1, "chat": \#(chat), "messages": [\#(messages.joined(separator: ","))]}"#
    }

    static let malformed: [Malformed] = [
        Malformed(name: "not JSON", json: "{\"format\": ", param: nil, status: 400),
        Malformed(name: "an array", json: "[]", param: nil, status: 400),
        Malformed(
            name: "another format",
            json: document(messages: []).replacingOccurrences(of: "parley.chat", with: "other.chat"),
            param: "format", status: 400),
        Malformed(
            name: "a newer version",
            json: document(messages: []).replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2"),
            param: "version", status: 400),
        Malformed(
            name: "no messages", json: #"{"format": "parley.chat", "version": 1, "chat": {"title": "T"}}"#,
            param: "messages", status: 400),
        Malformed(
            name: "an empty title", json: document(chat: #"{"title": " "}"#, messages: []), param: "chat.title",
            status: 400),
        Malformed(
            name: "an unknown role",
            json: document(messages: [question, answer.replacingOccurrences(of: "assistant", with: "wizard")]),
            param: "messages[1].role", status: 400),
        Malformed(
            name: "an unknown status",
            json: document(messages: [
                question.replacingOccurrences(of: "\"content\"", with: "\"status\": \"done\", \"content\"")
            ]),
            param: "messages[0].status", status: 400),
        Malformed(
            name: "content that is not text",
            json: document(messages: [question.replacingOccurrences(of: "\"Hi\"", with: "42")]),
            param: "messages[0].content", status: 400),
        Malformed(
            name: "an unreadable time",
            json: document(messages: [question.replacingOccurrences(of: "2024-05-01T08:00:00.000Z", with: "yesterday")]
            ),
            param: "messages[0].created_at", status: 400),
        Malformed(
            name: "a message without an id",
            json: document(messages: [question.replacingOccurrences(of: #""id": "q", "#, with: "")]),
            param: "messages[0].id", status: 400),
        Malformed(
            name: "a parent that is not there",
            json: document(messages: [
                question, answer,
                answer.replacingOccurrences(of: #""a""#, with: #""b""#).replacingOccurrences(
                    of: #""q""#, with: #""x""#),
            ]),
            param: "messages[2].parent_id", status: 422),
        Malformed(
            name: "a duplicate id", json: document(messages: [question, answer, answer]), param: "messages[2].id",
            status: 422),
        Malformed(
            name: "a message that is its own parent",
            json: document(messages: [
                question.replacingOccurrences(of: #""id": "q""#, with: #""id": "q", "parent_id": "q""#)
            ]),
            param: "messages[0].parent_id", status: 422),
        Malformed(
            name: "a cycle",
            json: document(messages: [
                question,
                #"{"id": "b", "parent_id": "c", "role": "user", "content": "B", "created_at": 0}"#,
                #"{"id": "c", "parent_id": "b", "role": "assistant", "content": "C", "created_at": 0}"#,
            ]),
            param: "messages[1].parent_id", status: 422),
        Malformed(
            name: "an unknown active leaf",
            json: document(chat: #"{"title": "T", "active_leaf_id": "zz"}"#, messages: [question]),
            param: "chat.active_leaf_id", status: 422),
    ]

    @Test(arguments: malformed)
    func aBrokenExportIsRefusedNamingTheField(_ example: Malformed) {
        let error = #expect(throws: ParleyError.self) { try ChatArchive(parleyJSON: Data(example.json.utf8)) }
        #expect(error?.param == example.param)
        #expect(error?.status == example.status)
        if let param = example.param { #expect(error?.message.hasPrefix("\(param): ") == true) }
    }

    @Test func aBrokenFileSaysWhatItShouldHaveBeen() {
        let notJSON = #expect(throws: ParleyError.self) { try ChatArchive(parleyJSON: Data("{\"format\": ".utf8)) }
        let array = #expect(throws: ParleyError.self) { try ChatArchive(parleyJSON: Data("[]".utf8)) }
        let role = #expect(throws: ParleyError.self) {
            try ChatArchive(
                parleyJSON: Data(
                    Self.document(messages: [Self.question.replacingOccurrences(of: "user", with: "wizard")]).utf8))
        }

        #expect(notJSON?.message == "the file is not valid JSON")
        #expect(array?.message == #"expected a Parley chat export (a JSON object with "format": "parley.chat")"#)
        #expect(
            role?.message
                == "messages[0].role: unknown role 'wizard' (expected one of system, developer, user, assistant, tool)")
    }

    @Test func everyMillisecondSurvivesAnExport() throws {
        let base: Int64 = 1_795_327_714_000
        let messages = (0..<1000).map { (offset: Int64) -> ChatArchive.Message in
            ChatArchive.Message(
                id: "m\(offset)", parentID: nil, role: .user, content: "",
                createdAt: Timestamp(milliseconds: base + offset))
        }
        let archive = ChatArchive(
            title: "Clock", createdAt: Timestamp(milliseconds: base + 1),
            updatedAt: Timestamp(milliseconds: base + 999),
            messages: messages)

        let read = try ChatArchive(parleyJSON: archive.parleyJSON())

        #expect(read.messages.map(\.createdAt) == archive.messages.map(\.createdAt))
        #expect(read.createdAt == archive.createdAt)
        #expect(read.updatedAt == archive.updatedAt)
    }

    @Test func aMinimalHandWrittenExportIsRead() throws {
        let archive = try ChatArchive(parleyJSON: Data(Self.document(messages: [Self.answer, Self.question]).utf8))

        #expect(archive.title == "Greetings")
        #expect(archive.messages.map(\.id) == ["a", "q"])
        #expect(archive.messages.map(\.status) == [.complete, .complete])
        #expect(archive.createdAt.milliseconds == 1_714_550_400_000)
        #expect(archive.updatedAt.milliseconds == 1_714_550_401_000)
        #expect(try archive.validatedInsertionOrder() == [1, 0])
    }
}
