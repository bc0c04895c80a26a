import AuditCore
import Foundation
import Hummingbird
import Testing

/// Sessions (21 CFR 11.10(d), 11.300; IEC 62443 SR 1.1-1.11, 2.5): login against the
/// ledger's verifiers, cookies, CSRF, idle and absolute expiry, logout, lockout recorded in
/// the ledger, rate limits, one-time passwords, security headers.
@Suite struct SessionTests {
    @Test func cookieLoginSetsAHardenedSessionCookie() async throws {
        let f = try await ServerFixture.make()
        try await f.live { client, _ in
            let page = try await client.call(.get, "/login")
            #expect(page.status == 200)
            let loginCookie = try #require(page.cookies.first { $0.hasPrefix("auditctl_login=") })
            let token = String(loginCookie.dropFirst("auditctl_login=".count).prefix { $0 != ";" })
            #expect(page.text.contains("value=\"\(token)\""))
            // Without the login form's token: refused, nothing recorded.
            let forged = try await client.call(.post, "/login", form: ["userId": "quinn", "password": ServerFixture.password("quinn")])
            #expect(forged.status == 403)
            let r = try await client.call(.post, "/login", form: ["userId": "quinn", "password": ServerFixture.password("quinn"),
                                                                   "login_csrf": token, "next": "/changes/chg-open"],
                                          headers: [.cookie: "auditctl_login=\(token)"])
            #expect(r.status == 303)
            #expect(r.header("Location") == "/changes/chg-open")
            let session = try #require(r.cookies.first { $0.hasPrefix("auditctl_session=") })
            #expect(session.contains("HttpOnly"))
            #expect(session.contains("SameSite=Strict"))
            #expect(!session.contains("Secure"), "no Secure flag without TLS (the browser would drop it on http)")
            let value = String(session.dropFirst("auditctl_session=".count).prefix { $0 != ";" })
            #expect(value.count >= 43, "a 256-bit token")
            let me = try await client.call(.get, "/api/v1/me", headers: [.cookie: "auditctl_session=\(value)"])
            #expect(me.status == 200)
            #expect(me["id"]?.stringValue == "quinn")
            // An open redirect target is ignored.
            let evil = try await client.call(.post, "/login", form: ["userId": "quinn", "password": ServerFixture.password("quinn"),
                                                                      "login_csrf": token, "next": "//evil.example/"],
                                             headers: [.cookie: "auditctl_login=\(token)"])
            #expect(evil.header("Location") == "/")
        }
    }

    @Test func csrfIsRequiredOnStateChangingCookieRequests() async throws {
        let f = try await ServerFixture.make()
        try await f.live { client, _ in
            let quinn = try await client.login("quinn")
            let body: JSONValue = ["meaning": "reviewed", "comment": "", "password": .string(ServerFixture.password("quinn"))]
            let missing = try await client.call(.post, "/api/v1/changes/chg-open/signatures", auth: .cookie(quinn, csrf: nil), json: body)
            #expect(missing.status == 403)
            #expect(missing["error"]?["code"]?.stringValue == "csrf")
            let wrong = try await client.call(.post, "/api/v1/changes/chg-open/signatures", auth: .cookie(quinn, csrf: "x" + quinn.csrf.dropFirst()), json: body)
            #expect(wrong.status == 403)
            let formWrong = try await client.call(.post, "/changes/chg-open/sign", auth: .cookie(quinn, csrf: "nope"),
                                                  form: ["meaning": "reviewed", "password": ServerFixture.password("quinn")])
            #expect(formWrong.status == 403)
            #expect(try f.entries(kind: EntryKind.signatureAdded).isEmpty, "nothing signed without the CSRF token")
            let good = try await client.call(.post, "/api/v1/changes/chg-open/signatures", auth: .cookie(quinn, csrf: quinn.csrf), json: body)
            #expect(good.status == 201)
            let logoutNoToken = try await client.call(.post, "/logout", auth: .cookie(quinn, csrf: nil), form: [:])
            #expect(logoutNoToken.status == 403)
        }
    }

    @Test func idleExpiredAndLoggedOutSessionsAreRefused() async throws {
        let f = try await ServerFixture.make()
        try await f.live { client, _ in
            // Idle: the policy's sessionIdleMinutes (15).
            let a = try await client.login("quinn")
            f.clock.advance(14 * 60)
            #expect(try await client.call(.get, "/api/v1/me", auth: .bearer(a)).status == 200, "touched within the idle time")
            f.clock.advance(14 * 60)
            #expect(try await client.call(.get, "/api/v1/me", auth: .bearer(a)).status == 200, "the idle clock restarted")
            f.clock.advance(15 * 60 + 1)
            #expect(try await client.call(.get, "/api/v1/me", auth: .bearer(a)).status == 401, "idle too long")
            // Absolute: sessionMaxHours (12), however active.
            let b = try await client.login("pat")
            for _ in 0..<50 {
                f.clock.advance(15 * 60 - 5)
                _ = try await client.call(.get, "/api/v1/me", auth: .bearer(b))
            }
            #expect(try await client.call(.get, "/api/v1/me", auth: .bearer(b)).status == 401, "past the absolute lifetime")
            // Logout ends the session on the server.
            let c = try await client.login("otto")
            #expect(try await client.call(.delete, "/api/v1/sessions/current", auth: .bearer(c)).status == 204)
            #expect(try await client.call(.get, "/api/v1/me", auth: .bearer(c)).status == 401)
            #expect(try await client.call(.get, "/api/v1/me", auth: .bearer(Login(token: "made-up", csrf: ""))).status == 401)
        }
    }

    @Test func lockoutAfterThePolicysFailuresIsRecordedAndEndsSessions() async throws {
        let f = try await ServerFixture.make()
        try await f.live { client, _ in
            let open = try await client.login("quinn")
            for i in 1...4 {
                let r = try await client.call(.post, "/api/v1/sessions", json: ["userId": "quinn", "password": .string("wrong-password-\(i)")])
                #expect(r.status == 401, "\(r.text)")
                #expect(r.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            }
            let fifth = try await client.call(.post, "/api/v1/sessions", json: ["userId": "quinn", "password": "wrong-password-5"])
            #expect(fifth.status == 423, "\(fifth.text)")
            let failures = try f.entries(kind: EntryKind.authFailed).filter { $0.subject == "quinn" }
            #expect(failures.count == 5)
            #expect(failures.allSatisfy { $0.payload["operation"]?.stringValue == "log in" })
            #expect(try f.entries(kind: EntryKind.accountLocked).map(\.subject) == ["quinn"])
            // Even the right password is refused now, and the open session is gone.
            #expect(try await client.call(.post, "/api/v1/sessions", json: ["userId": "quinn", "password": .string(ServerFixture.password("quinn"))]).status == 423)
            #expect(try await client.call(.get, "/api/v1/me", auth: .bearer(open)).status == 401)
            // An admin unlocks over HTTP (signed entry); quinn logs in again.
            let bob = try await client.login("bob")
            let unlock = try await client.call(.post, "/api/v1/users/quinn/unlock", auth: .bearer(bob),
                                               json: ["reason": "called the user", "password": .string(ServerFixture.password("bob"))])
            #expect(unlock.status == 200, "\(unlock.text)")
            _ = try await client.login("quinn")
            let metrics = try await client.call(.get, "/metrics", auth: .bearer(try await client.login("ivy")))
            // Five wrong passwords and one attempt while locked: six failures, each an auth.failed entry.
            #expect(metrics.text.contains("auditctl_login_failures_total 6"))
            #expect(try f.entries(kind: EntryKind.authFailed).filter { $0.subject == "quinn" }.count == 6)
            #expect(metrics.text.contains("auditctl_http_requests_total{"))
        }
    }

    @Test func loginRateLimitPerUserAndPerAddress() async throws {
        let f = try await ServerFixture.make()
        var options = f.options()
        options.loginAttemptsPerUser = 3
        options.loginAttemptsPerAddress = 5
        try await f.live(options) { client, _ in
            for _ in 0..<3 { _ = try await client.login("pat") }
            let limited = try await client.call(.post, "/api/v1/sessions", json: ["userId": "pat", "password": .string(ServerFixture.password("pat"))])
            #expect(limited.status == 429)
            #expect(Int(limited.header("Retry-After") ?? "") ?? 0 > 0)
            _ = try await client.login("otto")
            _ = try await client.login("ivy")
            let byAddress = try await client.call(.post, "/api/v1/sessions", json: ["userId": "alice", "password": .string(ServerFixture.password("alice"))])
            #expect(byAddress.status == 429, "the sixth attempt from one address")
            #expect(try f.entries(kind: EntryKind.authFailed).isEmpty, "refused attempts never reach the verifier or the ledger")
        }
    }

    @Test func aOneTimePasswordOnlyAllowsChangingIt() async throws {
        let f = try await ServerFixture.make()
        try await f.service.addUser(.init(id: "newbie", printedName: "New Bie", roles: ["qa-reviewer"], initialPassword: "one-time-newbie-pw"),
                                    reason: "new hire", knownRoles: Set(f.policy.roles), by: ServerFixture.creds("ada"))
        try await f.live { client, _ in
            let login = try await client.call(.post, "/api/v1/sessions", json: ["userId": "newbie", "password": "one-time-newbie-pw"])
            #expect(login.status == 201)
            #expect(login["mustChangePassword"]?.boolValue == true)
            let s = Login(token: login["token"]!.stringValue!, csrf: login["csrfToken"]!.stringValue!)
            let refused = try await client.call(.get, "/api/v1/changes", auth: .bearer(s))
            #expect(refused.status == 403)
            #expect(refused["error"]?["code"]?.stringValue == "password_change_required")
            #expect(try await client.call(.get, "/api/v1/me", auth: .bearer(s)).status == 200)
            let change = try await client.call(.post, "/api/v1/me/password", auth: .bearer(s),
                                               json: ["password": "one-time-newbie-pw", "newPassword": "newbie-own-password-1"])
            #expect(change.status == 200, "\(change.text)")
            #expect(change["keyConfirmed"]?.boolValue == false, "a first key waits for a second admin")
            #expect(try await client.call(.get, "/api/v1/me", auth: .bearer(s)).status == 401, "sessions end with the password change")
            _ = try await client.login("newbie", password: "newbie-own-password-1")
            #expect(try f.entries(kind: EntryKind.credentialChanged).contains { $0.subject == "newbie" })
        }
    }

    @Test func securityHeadersBodyLimitAndErrorsWithoutTraces() async throws {
        let f = try await ServerFixture.make()
        try await f.live { client, _ in
            for path in ["/login", "/api/v1/changes", "/nowhere", "/static/style.css"] {
                let r = try await client.call(.get, path)
                #expect(r.header("Content-Security-Policy")?.contains("default-src 'none'") == true, "\(path)")
                #expect(r.header("Content-Security-Policy")?.contains("script-src") == false, "\(path): no script source at all")
                #expect(r.header("X-Frame-Options") == "DENY")
                #expect(r.header("X-Content-Type-Options") == "nosniff")
                #expect(r.header("Referrer-Policy") == "no-referrer")
                #expect(r.header("X-Request-ID") != nil)
            }
            let missing = try await client.call(.get, "/nowhere")
            #expect(missing.status == 404)
            #expect(missing.text.contains("<h1>404"))
            let quinn = try await client.login("quinn")
            let big = String(repeating: "x", count: 70_000)
            let tooLarge = try await client.call(.post, "/api/v1/changes/chg-open/signatures", auth: .bearer(quinn),
                                                 json: ["meaning": "reviewed", "comment": .string(big), "password": "p"])
            #expect(tooLarge.status == 413)
            let junk = try await client.call(.post, "/api/v1/sessions", headers: [.contentType: "application/json"])
            #expect(junk.status == 422 || junk.status == 400)
            let unknownField = try await client.call(.post, "/api/v1/sessions", json: ["userId": "quinn", "password": "x", "admin": true])
            #expect(unknownField.status == 422)
            #expect(!unknownField.text.contains("Swift") && !unknownField.text.contains(".swift"))
        }
    }
}
