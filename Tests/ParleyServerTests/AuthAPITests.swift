import Foundation
import ParleyCore
import ParleyServer
import Testing

@Suite("Signing in: modes, passwords, sessions and CSRF")
struct AuthAPITests {
    @Test func authModeNoneActsAsTheLocalAdminWithoutCredentials() async throws {
        try await withParley { parley in
            let session = try await parley.get("/api/v1/auth/session")
            #expect(session.json?["mode"] == "none")
            #expect(session.json?["user"]?["role"] == "admin")
            #expect(session.json?["csrf_token"] == JSONValue.null)
            #expect(try await parley.get("/api/v1/me").status == 200)
            #expect(try await parley.post("/api/v1/chats", json: ["title": "no token needed"]).status == 201)
        }
    }

    @Test func localModeRefusesEverySurfaceWithoutCredentials() async throws {
        try await withLocalAuth { _, anonymous, _ in
            let native = try await anonymous.get("/api/v1/me")
            #expect(native.status == 401)
            #expect(native.json?["error"]?["type"] == "authentication_error")
            let openAI = try await anonymous.get("/v1/models")
            #expect(openAI.status == 401)
            #expect(openAI.errorMessage?.contains("Bearer") == true)
            let ollama = try await anonymous.get("/ollama/api/tags")
            #expect(ollama.status == 401)
            #expect(ollama.json?["error"]?.stringValue != nil)
            // What needs no one: health, the document, the session probe, Ollama's base URL.
            #expect(try await anonymous.get("/healthz").status == 200)
            #expect(try await anonymous.get("/api/v1/openapi.json").status == 200)
            #expect(try await anonymous.get("/ollama").status == 200)
            let session = try await anonymous.get("/api/v1/auth/session")
            #expect(session.json?["mode"] == "local")
            #expect(session.json?["user"] == JSONValue.null)
        }
    }

    @Test func signingInSetsAnHttpOnlySameSiteCookie() async throws {
        try await withLocalAuth { _, anonymous, _ in
            let reply = try await anonymous.post(
                "/api/v1/auth/login", json: ["username": "admin", "password": "admin-password"])
            #expect(reply.status == 200)
            let cookie = try #require(reply.headers["set-cookie"])
            #expect(cookie.hasPrefix("parley_session="))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"))
            #expect(reply.json?["csrf_token"]?.stringValue?.count ?? 0 >= 40)
            // Behind a TLS-terminating proxy (a trusted address says so), the cookie is Secure.
            let proxied = try await anonymous.with(["X-Forwarded-Proto": "https"]).post(
                "/api/v1/auth/login", json: ["username": "admin", "password": "admin-password"])
            #expect(proxied.headers["set-cookie"]?.contains("Secure") == true)
        }
    }

    @Test func wrongPasswordsAndUnknownUsersGetTheSameAnswer() async throws {
        try await withLocalAuth { _, anonymous, _ in
            let wrong = try await anonymous.post("/api/v1/auth/login", json: ["username": "admin", "password": "nope-nope"])
            let unknown = try await anonymous.post("/api/v1/auth/login", json: ["username": "ghost", "password": "nope-nope"])
            #expect(wrong.status == 401)
            #expect(unknown.status == 401)
            #expect(wrong.errorMessage == unknown.errorMessage)
            #expect(wrong.headers["set-cookie"] == nil)
            let malformed = try await anonymous.post("/api/v1/auth/login", json: ["username": "admin"])
            #expect(malformed.status == 400)
            #expect(malformed.json?["error"]?["param"] == "password")
        }
    }

    @Test func cookieAuthenticatedChangesNeedTheCSRFToken() async throws {
        try await withLocalAuth { admin, _, _ in
            #expect(try await admin.get("/api/v1/chats").status == 200)
            var tokenless = admin.headers
            tokenless["X-CSRF-Token"] = nil
            let refused = try await admin.with(tokenless).post("/api/v1/chats", json: ["title": "forged"])
            #expect(refused.status == 403)
            #expect(refused.errorMessage?.contains("X-CSRF-Token") == true)
            tokenless["X-CSRF-Token"] = "not-the-token"
            #expect(try await admin.with(tokenless).post("/api/v1/chats", json: ["title": "forged"]).status == 403)
            #expect(try await admin.post("/api/v1/chats", json: ["title": "real"]).status == 201)
            // Nothing the forged requests asked for was made.
            let titles = try await admin.get("/api/v1/chats").json?["items"]?.arrayValue?.compactMap { $0["title"]?.stringValue }
            #expect(titles == ["real"])
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        try await withLocalAuth { admin, _, _ in
            let out = try await admin.post("/api/v1/auth/logout", json: [:])
            #expect(out.status == 204)
            let after = try await admin.get("/api/v1/me")
            #expect(after.status == 401)
        }
    }

    @Test func repeatedFailedSignInsAreThrottled() async throws {
        try await withLocalAuth({ $0.auth.loginAttempts = 3 }) { _, anonymous, _ in
            for _ in 0..<3 {
                let reply = try await anonymous.post(
                    "/api/v1/auth/login", json: ["username": "admin", "password": "guess-guess"])
                #expect(reply.status == 401)
            }
            // Even the right password waits now: a guesser cannot tell when it found it.
            let throttled = try await anonymous.post(
                "/api/v1/auth/login", json: ["username": "admin", "password": "admin-password"])
            #expect(throttled.status == 429)
            #expect(Int(throttled.headers["retry-after"] ?? "") ?? 0 > 0)
        }
    }

    @Test func passwordChangesNeedTheCurrentOneAndSignOutOtherBrowsers() async throws {
        try await withLocalAuth { admin, anonymous, _ in
            let other = try await anonymous.signIn("admin", "admin-password")
            let refused = try await admin.patch("/api/v1/me", json: ["password": "new-password-1"])
            #expect(refused.status == 403)
            let short = try await admin.patch(
                "/api/v1/me", json: ["password": "short", "current_password": "admin-password"])
            #expect(short.status == 400)
            let changed = try await admin.patch(
                "/api/v1/me", json: ["password": "new-password-1", "current_password": "admin-password"])
            #expect(changed.status == 200)
            #expect(try await other.get("/api/v1/me").status == 401)
            #expect(try await anonymous.signIn("admin", "new-password-1").get("/api/v1/me").status == 200)
        }
    }

    @Test func loginsAndAdminActionsAreAlwaysRecorded() async throws {
        try await withLocalAuth { admin, anonymous, _ in
            _ = try await anonymous.post("/api/v1/auth/login", json: ["username": "admin", "password": "wrong-one"])
            let (_, userID) = try await makeUser("carol", admin: admin)
            #expect(!userID.isEmpty)
            let records = try await admin.get("/api/v1/records?all=true&limit=100").json?["items"]?.arrayValue ?? []
            let seen = Set(records.compactMap { record -> String? in
                guard let action = record["action"]?.stringValue, let outcome = record["outcome"]?.stringValue else { return nil }
                return action + ":" + outcome
            })
            #expect(seen.isSuperset(of: ["auth.login:ok", "auth.login:failed", "user.create:ok", "key.create:ok"]))
        }
    }

    @Test func trustedHeaderModeTakesTheUserFromATrustedProxyOnly() async throws {
        try await withParley({ $0.authMode = .trustedHeader }) { parley in
            let jane = parley.with(["X-Forwarded-User": "user:default/jane"])
            let me = try await jane.get("/api/v1/me")
            #expect(me.status == 200)
            #expect(me.json?["username"] == "user-default-jane")
            #expect(me.json?["role"] == "user")
            #expect(me.json?["profile"]?["external_id"] == "user:default/jane")
            #expect(try await jane.get("/api/v1/me").json?["id"] == me.json?["id"])
            #expect(try await parley.get("/api/v1/me").status == 401)
            // Sessions are for auth mode local.
            let login = try await parley.post("/api/v1/auth/login", json: ["username": "x", "password": "yyyyyyyy"])
            #expect(login.status == 422)
        }
        // The same header from an address that is not a configured proxy is ignored.
        try await withParley({ configuration in
            configuration.authMode = .trustedHeader
            configuration.auth.trustedProxies = [IPNetwork("10.0.0.0/8")!]
        }) { parley in
            let reply = try await parley.with(["X-Forwarded-User": "mallory"]).get("/api/v1/me")
            #expect(reply.status == 401)
        }
    }

    @Test func signedInModesMayListenOffLoopback() async throws {
        try await withParley({ configuration in
            configuration.host = "0.0.0.0"
            configuration.authMode = .local
        }) { parley in
            let reply = try await parley.get("/healthz")
            #expect(reply.status == 200)
        }
    }

    @Test func networksMatchAddressesByPrefix() {
        let network = IPNetwork("10.1.0.0/16")!
        #expect(network.contains("10.1.200.3"))
        #expect(!network.contains("10.2.0.1"))
        #expect(IPNetwork("::1")!.contains("::1"))
        #expect(IPNetwork("127.0.0.1")!.contains("::ffff:127.0.0.1"))
        #expect(IPNetwork("fd00::/8")!.contains("fd12::1"))
        #expect(IPNetwork("300.1.1.1") == nil)
        #expect(IPNetwork("10.0.0.0/33") == nil)
    }
}
