import AuditCore
import AuditTesting
import Foundation
import Testing

/// A data directory with a ledger, the default policy recorded, and ada (admin), alice
/// (author), quinn (qa-reviewer) enrolled with their own passwords; driven through the binary.
struct RecordsHome {
    static let policy = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Policies/approval.yaml").standardized.path
    let dir = TemporaryDirectory("records-cli")
    var data: String { dir.file("data") }
    var env: [String: String] {
        ["AUDITCTL_LOG_KEY_PASSWORD_FILE": dir.file("log.pw"), "AUDITCTL_ARGON2": "testing",
         "AUDITCTL_APPROVAL_POLICY": Self.policy]
    }

    func pw(_ id: String) -> String { dir.file("\(id).pw") }

    @discardableResult
    func run(_ args: [String], env extra: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.auditctl(args, dataDir: data, environment: env.merging(extra) { _, n in n })
    }

    func write(_ text: String, _ name: String) throws { try (text + "\n").write(toFile: dir.file(name), atomically: true, encoding: .utf8) }

    func entryKinds() throws -> [String] {
        try CommandRunner.sqlite(data + "/ledger.sqlite", "SELECT kind FROM entries ORDER BY seq").stdout
            .split(separator: "\n").map(String.init)
    }

    static func make() throws -> RecordsHome {
        let h = RecordsHome()
        try h.write("log key password 1", "log.pw")
        for id in ["ada", "alice", "quinn", "pat"] { try h.write("\(id)-password-1", "\(id).pw") }
        try h.write("one-time-pass-1", "otp.pw")
        try h.expectOK(["init", "--origin", "plant.example/records"])
        try h.expectOK(["user", "add", "--id", "ada", "--name", "Ada Admin", "--role", "admin", "--initial-password-file", h.pw("ada"), "--reason", "bootstrap"])
        try h.expectOK(["policy", "record", "--admin", "ada", "--admin-password-file", h.pw("ada"), "--reason", "initial policy"])
        for (id, name, role) in [("alice", "Alice Author", "author"), ("quinn", "Quinn QA", "qa-reviewer"), ("pat", "Pat Process", "process-owner")] {
            try h.expectOK(["user", "add", "--id", id, "--name", name, "--role", role, "--initial-password-file", h.dir.file("otp.pw"),
                            "--admin", "ada", "--admin-password-file", h.pw("ada"), "--reason", "new hire"])
            try h.expectOK(["key", "rotate", "--user", id, "--password-file", h.dir.file("otp.pw"), "--new-password-file", h.pw(id)])
        }
        return h
    }

    func propose(_ id: String, type: String = "register") throws {
        try expectOK(["change", "propose", "--id", id, "--model", "vision-qc", "--version", "2.0", "--type", type,
                      "--reason", "retrained on line 3", "--user", "alice", "--password-file", pw("alice")])
    }

    func expectOK(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try run(args)
        #expect(r.status == 0, "\(args.prefix(2)): \(r)", sourceLocation: sourceLocation)
    }
}

/// Every failure is one `error:` line and one `hint:` line, nothing on stdout.
func expectFailure(_ r: CommandResult, code: Int32, contains text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == code, "\(r)", sourceLocation: sourceLocation)
    let lines = r.stderr.split(separator: "\n")
    #expect(lines.count == 2 && lines.first?.hasPrefix("error: ") == true && lines.last?.hasPrefix("hint: ") == true,
            "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.contains(text), "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
}
