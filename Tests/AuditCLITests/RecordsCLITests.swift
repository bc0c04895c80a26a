import AuditCore
import AuditTesting
import Foundation
import Testing

/// People, changes and signatures through the real `auditctl` binary.
@Suite struct RecordsCLITests {
    @Test func manifestationIsInChangeShowTextAndJSON() throws {
        let h = try RecordsHome.make()
        try h.propose("chg-1")
        let s = try h.run(["sign", "chg-1", "--meaning", "approved", "--comment", "validated on line 3", "--user", "quinn", "--password-file", h.pw("quinn")])
        #expect(s.status == 0, "\(s)")
        #expect(s.stdout.contains("status: approved"))
        let text = try h.run(["change", "show", "chg-1"])
        #expect(text.status == 0)
        let line = try #require(text.stdout.split(separator: "\n").first { $0.contains("Quinn QA") })
        #expect(line.contains("Quinn QA (quinn) — approved — "))
        #expect(line.range(of: #"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC"#, options: .regularExpression) != nil, "\(line)")
        #expect(text.stdout.contains("status: approved"))
        let json = try JSONValue.parse(h.run(["change", "show", "chg-1", "--json"]).stdout)
        let sig = try #require(json["signatures"]?[0])
        #expect(sig["printedName"] == "Quinn QA")
        #expect(sig["meaning"] == "approved")
        #expect(sig["timeZone"] == "UTC")
        #expect(sig["time"]?.stringValue?.hasSuffix("Z") == true)
        #expect(sig["valid"] == true)
        #expect(json["status"]?["state"] == "approved")
        #expect(try h.entryKinds().suffix(2) == ["signature.added", "change.approved"])
        let listed = try h.run(["change", "list", "--status", "approved"])
        #expect(listed.stdout.hasPrefix("chg-1\tapproved"))
    }

    @Test func wrongPasswordIsCountedAndLocksTheAccount() throws {
        let h = try RecordsHome.make()
        try h.propose("chg-2")
        try h.write("not-my-password", "bad.pw")
        for attempt in 1...5 {
            let r = try h.run(["sign", "chg-2", "--meaning", "approved", "--user", "quinn", "--password-file", h.dir.file("bad.pw")])
            expectFailure(r, code: 5, contains: attempt < 5 ? "user ID or password is wrong" : "locked")
        }
        let kinds = try h.entryKinds()
        #expect(kinds.filter { $0 == "auth.failed" }.count == 5)
        #expect(kinds.last == "account.locked")
        expectFailure(try h.run(["sign", "chg-2", "--meaning", "approved", "--user", "quinn", "--password-file", h.pw("quinn")]),
                      code: 5, contains: "locked")
        try h.expectOK(["user", "unlock", "--id", "quinn", "--admin", "ada", "--admin-password-file", h.pw("ada"), "--reason", "identity checked"])
        try h.expectOK(["sign", "chg-2", "--meaning", "approved", "--user", "quinn", "--password-file", h.pw("quinn")])
    }

    @Test func badInputIsRefusedWithClearErrorsAndNothingWritten() throws {
        let h = try RecordsHome.make()
        try h.propose("chg-3")
        let size = try h.entryKinds().count
        // Malformed policy YAML: names file and line.
        try h.write("version: 1\ncolour: red\nroles: [a]", "bad.yaml")
        let yaml = try h.run(["sign", "chg-3", "--meaning", "approved", "--user", "quinn", "--password-file", h.pw("quinn"),
                              "--policy", h.dir.file("bad.yaml")])
        expectFailure(yaml, code: 3, contains: "bad.yaml:2:")
        #expect(yaml.stderr.contains("colour"))
        // Unknown role.
        expectFailure(try h.run(["user", "grant", "--id", "quinn", "--role", "qa-reviwer", "--admin", "ada",
                                 "--admin-password-file", h.pw("ada"), "--reason", "typo"]), code: 3, contains: "unknown role 'qa-reviwer'")
        // Unknown change.
        expectFailure(try h.run(["sign", "chg-nope", "--meaning", "approved", "--user", "quinn", "--password-file", h.pw("quinn")]),
                      code: 4, contains: "no change 'chg-nope'")
        // Wrong role for the meaning: refused, not recorded.
        expectFailure(try h.run(["sign", "chg-3", "--meaning", "approved", "--user", "pat", "--password-file", h.pw("pat")]),
                      code: 6, contains: "no role required for 'register'")
        // An edited policy file must be recorded first.
        try h.write(try String(contentsOfFile: RecordsHome.policy, encoding: .utf8) + "# edited", "edited.yaml")
        expectFailure(try h.run(["sign", "chg-3", "--meaning", "approved", "--user", "quinn", "--password-file", h.pw("quinn"),
                                 "--policy", h.dir.file("edited.yaml")]), code: 6, contains: "is not the approval policy in force")
        #expect(try h.entryKinds().count == size)
        // Wrong password: the only thing written is the recorded failure.
        try h.write("wrong-password-x", "bad.pw")
        expectFailure(try h.run(["sign", "chg-3", "--meaning", "approved", "--user", "quinn", "--password-file", h.dir.file("bad.pw")]),
                      code: 5, contains: "password is wrong")
        #expect(try h.entryKinds().count == size + 1)
        #expect(try h.entryKinds().last == "auth.failed")
    }

    @Test func adminsAndAuthorsCannotSignAndIDsAreNotReused() throws {
        let h = try RecordsHome.make()
        try h.propose("chg-4")
        expectFailure(try h.run(["sign", "chg-4", "--meaning", "approved", "--user", "alice", "--password-file", h.pw("alice")]),
                      code: 6, contains: "author of a change cannot sign")
        expectFailure(try h.run(["sign", "chg-4", "--meaning", "approved", "--user", "ada", "--password-file", h.pw("ada")]),
                      code: 6, contains: "admin")
        try h.expectOK(["user", "deactivate", "--id", "pat", "--admin", "ada", "--admin-password-file", h.pw("ada"), "--reason", "left"])
        expectFailure(try h.run(["user", "add", "--id", "pat", "--name", "Pat Two", "--role", "author", "--initial-password-file",
                                 h.dir.file("otp.pw"), "--admin", "ada", "--admin-password-file", h.pw("ada"), "--reason", "rehire"]),
                      code: 9, contains: "never reused")
        let users = try JSONValue.parse(h.run(["user", "list", "--json"]).stdout)
        #expect(users.arrayValue?.first { $0["id"] == "pat" }?["status"] == "deactivated")
    }
}
