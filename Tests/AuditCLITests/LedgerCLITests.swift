import AuditCore
import AuditTesting
import Foundation
import Testing

/// Drives the built `auditctl` binary the way an operator would: stdout, stderr, exit code.
@Suite struct LedgerCLITests {
    /// A data directory driven through the binary (`TestRecordsHome`: founding admins ada and
    /// bob, sealed log key). `append` is done as ada, authenticated.
    typealias Home = TestRecordsHome

    func initialized() throws -> Home { try TestRecordsHome.initialized(origin: "plant-a.example/auditctl") }

    /// `append` as the founding admin ada (ID + password; the actor is who authenticated).
    static func append(_ h: Home, _ args: [String], env: [String: String] = [:]) throws -> CommandResult {
        try h.run(["append"] + args + ["--user", "ada", "--password-file", h.pw("ada")], env: env)
    }

    /// Every failure is exactly one `error:` line and one `hint:` line on stderr.
    func expectOneLineError(_ r: CommandResult, code: Int32, contains text: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == code, "\(r)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 2, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(lines.first?.hasPrefix("error: ") == true, sourceLocation: sourceLocation)
        #expect(lines.last?.hasPrefix("hint: ") == true, sourceLocation: sourceLocation)
        #expect(r.stderr.contains(text), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func initSealsTheLogKey() throws {
        let h = try initialized()
        let sealed = try String(contentsOfFile: h.data + "/log-key.sealed", encoding: .utf8)
        #expect(sealed.contains("auditctl-sealed-key/v1"))
        #expect(!sealed.contains("PRIVATE+KEY"))
        let attrs = try FileManager.default.attributesOfItem(atPath: h.data + "/log-key.sealed")
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        let again = try h.run(["init", "--origin", "plant-a.example/auditctl", "--admin", "ada", "--admin-name", "Ada Admin",
                               "--admin-password-file", h.pw("ada"), "--admin", "bob", "--admin-name", "Bob Admin",
                               "--admin-password-file", h.pw("bob")])
        expectOneLineError(again, code: 9, contains: "already exists")
    }

    @Test func initNeedsTwoFoundingAdmins() throws {
        let h = try Home()
        for admins in [[String](), ["--admin", "ada", "--admin-name", "Ada Admin", "--admin-password-file", h.pw("ada")]] {
            let r = try h.run(["init", "--origin", "plant-a.example/auditctl"] + admins)
            expectOneLineError(r, code: 64, contains: "name at least two founding admins")
            #expect(!FileManager.default.fileExists(atPath: h.ledgerPath))
        }
        let founders = try initialized()
        let genesis = try JSONValue.parse(founders.run(["log", "--json"]).stdout)[0]
        #expect(genesis?["kind"] == "ledger.created")
        #expect(genesis?["payload"]?["founders"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["ada", "bob"])
        #expect(genesis?["payload"]?["authority"]?.arrayValue?.count == 2)
        #expect(try founders.run(["verify"]).status == 0)
    }

    @Test func appendLogProveVerify() throws {
        let h = try initialized()
        let a = try Self.append(h, ["--kind", "note.added", "--subject", "line-3",
                                    "--payload", #"{"text":"hello","n":1}"#, "--json"])
        #expect(a.status == 0, "\(a)")
        let entry = try JSONValue.parse(a.stdout)
        #expect(entry["seq"] == .number(1))
        // The actor is who authenticated, and the note carries their signature.
        #expect(entry["actor"] == "ada")
        #expect(entry["payload"]?["authority"]?.arrayValue?.count == 1)
        #expect(entry["hash"]?.stringValue?.hasPrefix("sha256:") == true)

        let log = try JSONValue.parse(h.run(["log", "--json", "--kind", "note.added"]).stdout)
        #expect(log.arrayValue?.count == 1)
        #expect(log.arrayValue?.first?["payload"]?["text"] == .string("hello"))

        let proof = try h.run(["proof", "inclusion", "--seq", "1", "--json"])
        #expect(proof.status == 0)
        #expect(try JSONValue.parse(proof.stdout)["treeSize"] == .number(2))
        let cons = try h.run(["proof", "consistency", "--from", "1", "--to", "2", "--json"])
        #expect(cons.status == 0, "\(cons)")

        let cp = try h.run(["checkpoint", "--latest"])
        #expect(cp.stdout.hasPrefix("plant-a.example/auditctl\n2\n"))
        #expect(cp.stdout.contains("\n\n— plant-a.example/auditctl "))
        try cp.stdout.write(toFile: h.dir.file("trusted"), atomically: true, encoding: .utf8)
        let v = try h.run(["verify", "--trusted-checkpoint", h.dir.file("trusted")])
        #expect(v.status == 0, "\(v)")
        #expect(v.stdout.hasPrefix("ok: 2 entries"))
    }

    @Test func malformedPayloadWritesNothing() throws {
        let h = try initialized()
        let before = try h.size()
        let r = try Self.append(h, ["--kind", "note.added", "--payload", #"{"a": 1,}"#])
        expectOneLineError(r, code: 3, contains: "--payload:1:")
        #expect(try h.size() == before)
    }

    @Test func oversizedPayloadWritesNothing() throws {
        let h = try initialized()
        let before = try h.size()
        let big = #"{"blob":""# + String(repeating: "x", count: Limits.maxEntryPayloadBytes) + #""}"#
        try big.write(toFile: h.dir.file("big.json"), atomically: true, encoding: .utf8)
        let r = try Self.append(h, ["--kind", "note.added", "--payload-file", h.dir.file("big.json")])
        expectOneLineError(r, code: 3, contains: "exceeds the limit of \(Limits.maxEntryPayloadBytes) bytes")
        #expect(try h.size() == before)
    }

    @Test func unknownKindWritesNothing() throws {
        let h = try initialized()
        let before = try h.size()
        let r = try Self.append(h, ["--kind", "change.aproved"])
        expectOneLineError(r, code: 3, contains: "'change.aproved' cannot be appended by hand")
        #expect(try h.size() == before)
    }

    /// `append` writes free-form kinds only, as the authenticated user: an approval, a role
    /// or a signature cannot be typed in, and nobody can claim to be someone else.
    @Test func appendTakesOnlyFreeFormKindsAsTheAuthenticatedUser() throws {
        let h = try initialized()
        let before = try h.size()
        for kind in ["change.approved", "role.granted", "signature.added", "ledger.created", "account.unlocked"] {
            let r = try Self.append(h, ["--kind", kind, "--subject", "chg-1"])
            expectOneLineError(r, code: 3, contains: "'\(kind)' cannot be appended by hand (free-form kinds: checkpoint.requested, note.added)")
        }
        let actor = try h.run(["append", "--kind", "note.added", "--actor", "mallory", "--user", "ada", "--password-file", h.pw("ada")])
        #expect(actor.status == 64, "\(actor)")
        #expect(actor.stderr.contains("--actor"))
        try h.write("not-adas-password", "bad.pw")
        let wrong = try h.run(["append", "--kind", "note.added", "--user", "ada", "--password-file", h.dir.file("bad.pw")])
        expectOneLineError(wrong, code: 5, contains: "authentication failed for 'ada'")
        // The only thing written is the failure, signed with the log key.
        #expect(try h.entryKinds().suffix(from: before) == ["auth.failed"])
        #expect(try h.run(["verify"]).status == 0)
    }

    @Test func wrongLogKeyPasswordWritesNothing() throws {
        let h = try initialized()
        let before = try h.size()
        try "not the password\n".write(toFile: h.dir.file("wrong"), atomically: true, encoding: .utf8)
        let r = try Self.append(h, ["--kind", "note.added"], env: ["AUDITCTL_LOG_KEY_PASSWORD_FILE": h.dir.file("wrong")])
        expectOneLineError(r, code: 5, contains: "password")
        #expect(try h.size() == before)
    }

    @Test func fileThatIsNotSQLiteIsRefusedUntouched() throws {
        let h = try Home()
        try FileManager.default.createDirectory(atPath: h.data, withIntermediateDirectories: true)
        let junk = #"{"this":"is a JSON file, not a ledger"}"# + "\n"
        try junk.write(toFile: h.data + "/ledger.sqlite", atomically: true, encoding: .utf8)
        for args in [["log"], ["verify"], ["append", "--kind", "note.added", "--user", "ada", "--password-file", h.pw("ada")]] {
            let r = try h.run(args)
            expectOneLineError(r, code: 8, contains: "is not an auditctl ledger: it is not an SQLite database")
        }
        #expect(try String(contentsOfFile: h.data + "/ledger.sqlite", encoding: .utf8) == junk)
    }

    @Test func ledgerFromANewerSchemaIsRefused() throws {
        let h = try initialized()
        let r0 = try CommandRunner.sqlite(h.data + "/ledger.sqlite", "INSERT INTO grdb_migrations VALUES ('v9-from-the-future')")
        #expect(r0.status == 0)
        let before = try h.size()
        let r = try Self.append(h, ["--kind", "note.added"])
        expectOneLineError(r, code: 8, contains: "newer auditctl")
        #expect(r.stderr.contains("v9-from-the-future"))
        #expect(try h.size() == before)
    }

    @Test func missingLedgerSaysRunInit() throws {
        let h = try Home()
        let r = try h.run(["log"])
        expectOneLineError(r, code: 4, contains: "no ledger at")
        #expect(r.stderr.contains("auditctl init"))
    }
}
