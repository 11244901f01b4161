import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyServer
import Testing

@Suite struct WebUITests {
    func get(_ parley: ParleyClient, _ path: String, ifNoneMatch: String? = nil) async throws -> ParleyClient.Reply {
        var request = HTTPClientRequest(url: parley.baseURL + path)
        if let ifNoneMatch { request.headers.add(name: "If-None-Match", value: ifNoneMatch) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        var body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return ParleyClient.Reply(
            status: Int(response.status.code), headers: headers, body: body.readData(length: body.readableBytes) ?? Data())
    }

    @Test func thePageIsServedAtTheRootWithASecurityPolicy() async throws {
        try await withParley { parley in
            let reply = try await get(parley, "/")
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"] == "text/html; charset=utf-8")
            #expect(reply.text.contains("<script type=\"module\" src=\"/ui/js/app.js\">"))
            let policy = try #require(reply.headers["content-security-policy"])
            #expect(policy.contains("default-src 'self'"))
            #expect(policy.contains("script-src 'self'"))
            #expect(!policy.contains("unsafe-inline"))
            #expect(policy.contains("frame-ancestors 'self'"))
            #expect(reply.headers["x-content-type-options"] == "nosniff")
            #expect(reply.headers["etag"] != nil)
            #expect(reply.headers["cache-control"] == "no-cache")
        }
    }

    @Test func modulesAndStylesComeWithTheirContentTypes() async throws {
        try await withParley { parley in
            let script = try await get(parley, "/ui/js/app.js")
            #expect(script.status == 200)
            #expect(script.headers["content-type"] == "text/javascript; charset=utf-8")
            #expect(script.headers["x-content-type-options"] == "nosniff")
            let style = try await get(parley, "/ui/css/app.css")
            #expect(style.status == 200)
            #expect(style.headers["content-type"] == "text/css; charset=utf-8")
        }
    }

    @Test func clientRoutesAnswerWithThePage() async throws {
        try await withParley { parley in
            let page = try await get(parley, "/")
            for path in ["/c/0192f0a4-some-chat", "/admin", "/prompts", "/compare", "/account", "/login"] {
                let reply = try await get(parley, path)
                #expect(reply.status == 200, "\(path)")
                #expect(reply.body == page.body, "\(path)")
            }
        }
    }

    @Test func unknownFilesUnderTheUIAreNotFound() async throws {
        try await withParley { parley in
            for path in ["/ui/js/missing.js", "/ui/js/..%2F..%2Findex.html", "/ui/.hidden", "/ui/js/app.js/more"] {
                let reply = try await get(parley, path)
                #expect(reply.status == 404, "\(path)")
                #expect(reply.headers["x-content-type-options"] == "nosniff", "\(path)")
                #expect(reply.headers["content-security-policy"] != nil, "\(path)")
            }
            // Paths that never reach the UI's files are the router's own 404.
            for path in ["/ui/", "/ui/../Package.swift", "/nothing-here"] {
                #expect(try await get(parley, path).status == 404, "\(path)")
            }
        }
    }

    @Test func anUnchangedFileIsNotSentAgain() async throws {
        try await withParley { parley in
            let first = try await get(parley, "/ui/js/markdown.js")
            let etag = try #require(first.headers["etag"])
            let again = try await get(parley, "/ui/js/markdown.js", ifNoneMatch: etag)
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            let changed = try await get(parley, "/ui/js/markdown.js", ifNoneMatch: "\"something-else\"")
            #expect(changed.status == 200)
        }
    }

    @Test func theConfiguredOriginsMayFrameTheUI() async throws {
        try await withParley({ $0.uiFrameAncestors = "'self' https://backstage.example.com" }) { parley in
            let reply = try await get(parley, "/")
            #expect(reply.headers["content-security-policy"]?.contains("frame-ancestors 'self' https://backstage.example.com") == true)
        }
    }

    @Test func frameAncestorsReadFromAListOrAStringAndRefuseWhatCouldBreakThePolicy() throws {
        let directory = FileManager.default.temporaryDirectory
        let list = directory.appendingPathComponent("parley-\(UUID().uuidString).yaml").path
        try "ui:\n  frame_ancestors: [\"'self'\", https://backstage.example.com]\n".write(
            toFile: list, atomically: true, encoding: .utf8)
        let fromList = try ConfigurationLoader.load(commandLine: [:], environment: [:], configPath: list)
        #expect(fromList.uiFrameAncestors == "'self' https://backstage.example.com")
        let fromEnvironment = try ConfigurationLoader.load(
            commandLine: [:], environment: ["PARLEY_UI_FRAME_ANCESTORS": "'none'"], configPath: list)
        #expect(fromEnvironment.uiFrameAncestors == "'none'")
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(
                commandLine: [:], environment: ["PARLEY_UI_FRAME_ANCESTORS": "'self'; script-src *"], configPath: list)
        }
        let empty = directory.appendingPathComponent("parley-\(UUID().uuidString)").path
        #expect(try ConfigurationLoader.load(commandLine: ["data": empty], environment: [:]).uiFrameAncestors == "'self'")
    }
}
