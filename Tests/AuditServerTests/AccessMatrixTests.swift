import AuditCore
import Foundation
import Hummingbird
import Testing

/// Every route × role over a real socket: the allowed role gets its answer, no session
/// gets 401 (pages: a redirect to the login page), a role in force that lacks the
/// capability gets 403. nora's role is granted but never confirmed, so she holds none.
@Suite struct AccessMatrixTests {
    struct Case: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let allowed: String
        let expected: Int
        let denied: [String]
        var body: JSONValue? = nil
    }

    static func pw(_ id: String) -> JSONValue { .string(ServerFixture.password(id)) }

    /// In order: writes that change what later rows see come after the reads.
    static let api: [Case] = [
        Case(method: .get, path: "/api/v1/changes", allowed: "quinn", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/api/v1/changes?status=pending&model=vision-qc&zone=cell-3&author=alice", allowed: "ivy", expected: 200, denied: ["bob"]),
        Case(method: .get, path: "/api/v1/changes?waiting=me", allowed: "pat", expected: 200, denied: ["nora"]),
        Case(method: .get, path: "/api/v1/queue", allowed: "quinn", expected: 200, denied: ["alice", "ivy", "ada", "nora"]),
        Case(method: .get, path: "/api/v1/changes/chg-open", allowed: "alice", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/api/v1/entries?limit=5", allowed: "ivy", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/api/v1/entries/1", allowed: "quinn", expected: 200, denied: ["bob", "nora"]),
        Case(method: .get, path: "/api/v1/entries/1/proof", allowed: "quinn", expected: 200, denied: ["bob", "nora"]),
        Case(method: .get, path: "/api/v1/checkpoint", allowed: "otto", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/api/v1/proofs/consistency?from=1", allowed: "ivy", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/api/v1/verify", allowed: "ivy", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/api/v1/policy", allowed: "pat", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/api/v1/policy-checks", allowed: "ivy", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/api/v1/waivers", allowed: "otto", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/api/v1/trust-root", allowed: "ivy", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/api/v1/users", allowed: "ivy", expected: 200, denied: ["quinn", "alice", "nora"]),
        Case(method: .get, path: "/api/v1/users/quinn", allowed: "quinn", expected: 200, denied: ["alice", "nora"]),
        Case(method: .get, path: "/api/v1/me", allowed: "nora", expected: 200, denied: []),
        Case(method: .post, path: "/api/v1/changes", allowed: "alice", expected: 201, denied: ["quinn", "ivy", "ada", "nora"],
             body: ["changeType": "register", "model": "weld-seam", "modelVersion": "1.0", "reason": "first model", "password": pw("alice")]),
        Case(method: .post, path: "/api/v1/changes/chg-open/signatures", allowed: "quinn", expected: 201, denied: ["alice", "ivy", "ada", "nora"],
             body: ["meaning": "reviewed", "comment": "checked the validation report", "password": pw("quinn")]),
        Case(method: .post, path: "/api/v1/changes/chg-1/rejection", allowed: "otto", expected: 201, denied: ["alice", "ivy", "bob", "nora"],
             body: ["comment": "the zone conduit is not approved", "password": pw("otto")]),
        Case(method: .post, path: "/api/v1/users", allowed: "ada", expected: 201, denied: ["ivy", "quinn", "nora"],
             body: ["id": "sam", "printedName": "Sam Shift", "roles": ["qa-reviewer"], "initialPassword": "one-time-sam-pass",
                    "reason": "new shift lead", "password": pw("ada")]),
        Case(method: .post, path: "/api/v1/users/sam/roles", allowed: "ada", expected: 200, denied: ["ivy", "pat", "nora"],
             body: ["role": "process-owner", "reason": "covers nights", "password": pw("ada")]),
        Case(method: .post, path: "/api/v1/users/sam/roles/process-owner/revoke", allowed: "ada", expected: 200, denied: ["ivy", "nora"],
             body: ["reason": "nights covered by pat", "password": pw("ada")]),
        Case(method: .post, path: "/api/v1/users/sam/confirm", allowed: "bob", expected: 200, denied: ["ivy", "quinn", "nora"],
             body: ["reason": "badge checked", "password": pw("bob")]),
        Case(method: .post, path: "/api/v1/users/sam/deactivate", allowed: "bob", expected: 200, denied: ["ivy", "nora"],
             body: ["reason": "left the company", "password": pw("bob")]),
        Case(method: .get, path: "/metrics", allowed: "ivy", expected: 200, denied: ["quinn", "nora"]),
    ]

    /// Pages: without a session a GET is redirected to the login page.
    static let pages: [Case] = [
        Case(method: .get, path: "/queue", allowed: "quinn", expected: 200, denied: ["alice", "ivy", "ada", "nora"]),
        Case(method: .get, path: "/changes", allowed: "ivy", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/changes/chg-open", allowed: "alice", expected: 200, denied: ["bob", "nora"]),
        Case(method: .get, path: "/changes/chg-open/sign", allowed: "pat", expected: 200, denied: ["alice", "ivy", "nora"]),
        Case(method: .get, path: "/entries", allowed: "ivy", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/entries/2", allowed: "quinn", expected: 200, denied: ["ada", "nora"]),
        Case(method: .get, path: "/users", allowed: "ada", expected: 200, denied: ["quinn", "nora"]),
        Case(method: .get, path: "/account", allowed: "nora", expected: 200, denied: []),
    ]

    @Test func everyRouteEveryRole() async throws {
        let f = try await ServerFixture.make(changes: 2)
        try await f.live { client, _ in
            var logins: [String: Login] = [:]
            for id in ["ada", "bob", "alice", "quinn", "pat", "otto", "ivy", "nora"] { logins[id] = try await client.login(id) }
            for c in Self.api + Self.pages {
                let anonymous = try await client.call(c.method, c.path, json: c.body)
                if c.path.hasPrefix("/api/") || c.path == "/metrics" {
                    #expect(anonymous.status == 401, "\(c.method) \(c.path) without a session: \(anonymous.status) \(anonymous.text)")
                } else {
                    #expect(anonymous.status == 303 && anonymous.header("Location")?.hasPrefix("/login") == true,
                            "\(c.path) without a session: \(anonymous.status)")
                }
                for id in c.denied {
                    let r = try await client.call(c.method, c.path, auth: .bearer(logins[id]!), json: c.body)
                    #expect(r.status == 403, "\(c.method) \(c.path) as \(id): \(r.status) \(r.text.prefix(200))")
                }
                let ok = try await client.call(c.method, c.path, auth: .bearer(logins[c.allowed]!), json: c.body)
                #expect(ok.status == c.expected, "\(c.method) \(c.path) as \(c.allowed): \(ok.status) \(ok.text.prefix(300))")
            }
            // The bearer client is exempt from CSRF; logout and password change need a session.
            for (m, p) in [(HTTPRequest.Method.delete, "/api/v1/sessions/current"), (.post, "/api/v1/me/password")] {
                #expect(try await client.call(m, p, json: [:]).status == 401, "\(m) \(p)")
            }
        }
    }
}
