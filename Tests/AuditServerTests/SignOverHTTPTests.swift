import AuditCore
import AuditTesting
import Foundation
import Hummingbird
import Testing

/// A signature made over HTTP is the same kind of entry the CLI writes: it verifies with
/// `auditctl verify`, shows in `auditctl change show`, and concurrent signatures each land
/// exactly once.
@Suite struct SignOverHTTPTests {
    @Test func threeSignaturesOverHTTPApproveAndVerifyWithTheCLI() async throws {
        let f = try await ServerFixture.make(changes: 2)
        try await f.live { client, _ in
            for (who, meaning) in [("quinn", "reviewed"), ("pat", "approved"), ("otto", "approved")] {
                let login = try await client.login(who)
                let r = try await client.call(.post, "/api/v1/changes/chg-open/signatures", auth: .bearer(login),
                                              json: ["meaning": .string(meaning), "comment": .string("signed by \(who) over HTTP"),
                                                     "password": .string(ServerFixture.password(who))])
                #expect(r.status == 201, "\(who): \(r.text)")
                #expect(r["signature"]?["kind"]?.stringValue == EntryKind.signatureAdded)
            }
            let quinn = try await client.login("quinn")
            let wrongPassword = try await client.call(.post, "/api/v1/changes/chg-1/signatures", auth: .bearer(quinn),
                                                      json: ["meaning": "reviewed", "password": "not-my-password"])
            #expect(wrongPassword.status == 401, "re-authentication failed: \(wrongPassword.text)")
            let detail = try await client.call(.get, "/api/v1/changes/chg-open", auth: .bearer(quinn))
            #expect(detail["status"]?["state"]?.stringValue == "approved")
            let sigs = detail["signatures"]?.arrayValue ?? []
            #expect(sigs.map { $0["printedName"]?.stringValue } == ["Quinn Reviewer", "Pat Owner", "Otto Security"])
            #expect(sigs.allSatisfy { $0["timeZone"]?.stringValue == "UTC" && $0["valid"]?.boolValue == true })
            #expect(detail["policy"]?["requirements"]?.arrayValue?.allSatisfy { $0["met"]?.boolValue == true } == true)
            #expect(detail["auditTrail"]?.arrayValue?.last?["kind"]?.stringValue == EntryKind.changeApproved)
        }
        // The CLI sees and verifies what the server wrote.
        let verify = try f.cli(["verify"])
        #expect(verify.status == 0, "\(verify)")
        let show = try f.cli(["change", "show", "chg-open", "--json"])
        #expect(show.status == 0, "\(show)")
        let shown = try JSONValue.parse(Array(show.stdout.utf8))
        #expect(shown["status"]?["state"]?.stringValue == "approved")
        #expect(shown["signatures"]?.arrayValue?.compactMap { $0["comment"]?.stringValue }.contains("signed by pat over HTTP") == true)
        // Byte-identical in kind: the CLI's signature entry has the same shape.
        let cli = try f.cli(["sign", "chg-1", "--meaning", "reviewed", "--user", "quinn", "--password-file", passwordFile(f, "quinn")])
        #expect(cli.status == 0, "\(cli)")
        let signatures = try f.entries(kind: EntryKind.signatureAdded)
        let http = try #require(signatures.first { $0.subject == "chg-open" })
        let bycli = try #require(signatures.first { $0.subject == "chg-1" })
        #expect(http.payload.objectValue?.keys.sorted() == bycli.payload.objectValue?.keys.sorted())
        #expect(http.payload["statement"]?.objectValue?.keys.sorted() == bycli.payload["statement"]?.objectValue?.keys.sorted())
    }

    @Test func theServerSeesWhatTheCLIAppends() async throws {
        let f = try await ServerFixture.make()
        try await f.live { client, _ in
            let ivy = try await client.login("ivy")
            let before = try await client.call(.get, "/api/v1/changes", auth: .bearer(ivy))
            #expect(before["count"]?.doubleValue == 1)
            let proposed = try await onOwnThread { try f.cli(["change", "propose", "--id", "chg-cli", "--model", "vision-qc", "--version", "3.0", "--type", "register",
                                      "--reason", "from the CLI", "--user", "alice", "--password-file", passwordFile(f, "alice")]) }
            #expect(proposed.status == 0, "\(proposed)")
            let after = try await client.call(.get, "/api/v1/changes", auth: .bearer(ivy))
            #expect(after["count"]?.doubleValue == 2)
            #expect(after["changes"]?[0]?["id"]?.stringValue == "chg-cli", "newest first")
        }
    }

    @Test func concurrentSignaturesEachLandExactlyOnce() async throws {
        let f = try await ServerFixture.make(changes: 0)
        for i in 0..<32 { try await f.propose(id: "chg-c\(i)", version: "1.\(i)", model: "m\(i)", type: .register) }
        try await f.live { client, _ in
            let quinn = try await client.login("quinn")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<32 {
                    group.addTask {
                        try await client.call(.post, "/api/v1/changes/chg-c\(i)/signatures", auth: .bearer(quinn),
                                              json: ["meaning": "approved", "password": .string(ServerFixture.password("quinn"))]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 201 }, "\(statuses)")
        }
        let signatures = try f.entries(kind: EntryKind.signatureAdded)
        #expect(signatures.count == 32)
        #expect(Set(signatures.map(\.subject)).count == 32)
        #expect(try f.entries(kind: EntryKind.changeApproved).count == 32)
        let verify = try f.cli(["verify"])
        #expect(verify.status == 0, "\(verify)")
    }

    func passwordFile(_ f: ServerFixture, _ id: String) -> String {
        let path = f.directory.file("\(id).password")
        FileManager.default.createFile(atPath: path, contents: Data(ServerFixture.password(id).utf8))
        return path
    }
}
