import ParleyCore
import Testing

@testable import ParleyStorage

@Suite struct ChatArchiveMarkdownTests {
    static let time = Timestamp(milliseconds: 1_700_000_000_000)

    @Test func markdownShowsTheActiveBranchWithRolesModelsAndAPartialReply() {
        let archive = ChatArchive(
            title: "Trip to Lisbon", tags: ["travel"], createdAt: Self.time, updatedAt: Self.time, activeLeafID: "a2",
            messages: [
                .init(id: "u1", parentID: nil, role: .user, content: "Where should I eat?", createdAt: Self.time),
                .init(
                    id: "a1", parentID: "u1", role: .assistant, content: "An answer on another branch",
                    model: "llama-3", createdAt: Self.time),
                .init(
                    id: "a2", parentID: "u1", role: .assistant,
                    content: "Try *Cervejaria Ramiro*:\n\n| dish | price |\n|---|---|\n| prawns | 20 |\n",
                    model: "qwen-2.5",
                    status: .partial, error: "the client went away", createdAt: Self.time),
            ])

        #expect(
            archive.markdown() == """
                # Trip to Lisbon

                Created 2023-11-14 22:13 UTC · Model: qwen-2.5 · Tags: travel

                ## User

                Where should I eat?

                ## Assistant (qwen-2.5)

                Try *Cervejaria Ramiro*:

                | dish | price |
                |---|---|
                | prawns | 20 |

                > *Partial reply: it stopped before it was complete (the client went away).*

                """)
    }

    @Test func markdownNotesFailedRepliesAndLinksImages() {
        let archive = ChatArchive(
            title: "Pastry", settings: ChatSettings(model: "llama-3"), createdAt: Self.time, updatedAt: Self.time,
            messages: [
                .init(id: "s", parentID: nil, role: .system, content: "Be brief.", createdAt: Self.time),
                .init(
                    id: "u", parentID: "s", role: .user, content: "What is this?",
                    parts: [
                        ["type": "text", "text": "What is this?"],
                        ["type": "image_url", "image_url": ["url": "https://example.com/tart.jpg"]],
                        ["type": "image_url", "image_url": ["url": "data:image/png;base64,AAAA"]],
                    ],
                    createdAt: Self.time),
                .init(
                    id: "a", parentID: "u", role: .assistant, content: "", model: "llama-3", status: .error,
                    error: "upstream timed out", createdAt: Self.time),
            ])

        let markdown = archive.markdown()

        #expect(markdown.contains("Created 2023-11-14 22:13 UTC · Model: llama-3\n"))
        #expect(markdown.contains("## System\n\nBe brief.\n"))
        #expect(markdown.contains("## User\n\nWhat is this?\n\n![image](https://example.com/tart.jpg)\n\n*[image]*\n"))
        #expect(markdown.hasSuffix("## Assistant (llama-3)\n\n> *Error: upstream timed out.*\n"))
        #expect(!markdown.contains("base64"))
    }
}
