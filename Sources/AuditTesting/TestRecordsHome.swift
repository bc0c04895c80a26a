import AuditCore
import AuditCrypto
import AuditLedger
import AuditRecords
import Foundation

/// A data directory set up through the `auditctl` binary the way an operator would, with
/// the same cast as `TestRecords`: `init` with founding admins ada and bob, `policy record`
/// by ada and `policy confirm` by bob, then each person `user add`ed by ada with the shared
/// one-time password (`otp.pw`), their own `key rotate`, and `user confirm` by bob.
/// Password files: `pw(id)` holds `TestCast.password(id)`.
public struct TestRecordsHome: Sendable {
    public let dir: TemporaryDirectory
    /// The approval policy file commands read (`AUDITCTL_APPROVAL_POLICY`).
    public let policy: String
    public var data: String { dir.file("data") }
    public var otp: String { dir.file("otp.pw") }
    public var env: [String: String] {
        ["AUDITCTL_LOG_KEY_PASSWORD_FILE": dir.file("log.pw"), "AUDITCTL_ARGON2": "testing", "AUDITCTL_APPROVAL_POLICY": policy]
    }

    public static let origin = "plant.example/records"
    public static let defaultPeople = [TestCast.alice, TestCast.quinn, TestCast.pat]

    public init(label: String = "records-cli", security: [String: String] = [:]) throws {
        dir = TemporaryDirectory(label)
        if security.isEmpty {
            policy = TestCast.approvalPolicyPath
        } else {
            policy = dir.file("approval.yaml")
            try TestCast.approvalPolicyText(security: security).write(toFile: policy, atomically: true, encoding: .utf8)
        }
        try write(Self.logKeyPassword, "log.pw")
        try write("one-time-pass-1", "otp.pw")
        for f in TestCast.founders { try write(TestCast.password(f.id), "\(f.id).pw") }
    }

    /// Founders only (`init`); nothing recorded yet.
    public static func initialized(origin: String = origin, security: [String: String] = [:]) throws -> TestRecordsHome {
        let h = try TestRecordsHome(security: security)
        try h.must(h.initArguments(origin: origin))
        return h
    }

    /// `init --origin ORIGIN` with the founding admins ada and bob and their password files.
    public func initArguments(origin: String = origin) -> [String] {
        ["init", "--origin", origin] + TestCast.founders.flatMap {
            ["--admin", $0.id, "--admin-name", $0.name, "--admin-password-file", pw($0.id)]
        }
    }

    /// Founders, the policy in force, and `people` enrolled and confirmed.
    public static func make(people: [TestCast.Person] = defaultPeople, security: [String: String] = [:]) throws -> TestRecordsHome {
        let h = try initialized(security: security)
        try h.must(["policy", "record", "--admin", TestCast.enroller, "--admin-password-file", h.pw(TestCast.enroller),
                    "--reason", "initial policy"])
        try h.must(["policy", "confirm", "--admin", TestCast.confirmer, "--admin-password-file", h.pw(TestCast.confirmer),
                    "--reason", "reviewed the initial policy"])
        for person in people { try h.enroll(person) }
        return h
    }

    public func pw(_ id: String) -> String { dir.file("\(id).pw") }

    /// `user add` by `enroller`, `key rotate` by the person, `user confirm --key` by `confirmer`
    /// (nil: left unconfirmed).
    /// Returns the id of the key the person's rotation registered.
    @discardableResult
    public func enroll(_ person: TestCast.Person, enroller: String = TestCast.enroller,
                       confirmer: String? = TestCast.confirmer) throws -> String {
        try write(TestCast.password(person.id), "\(person.id).pw")
        try must(["user", "add", "--id", person.id, "--name", person.name] + person.roles.flatMap { ["--role", $0] }
                 + ["--initial-password-file", otp, "--admin", enroller, "--admin-password-file", pw(enroller), "--reason", "new hire"])
        let rotated = try JSONValue.parse(must(["key", "rotate", "--user", person.id, "--password-file", otp,
                                                "--new-password-file", pw(person.id), "--json"]).stdout)
        guard let keyID = rotated["keyId"]?.stringValue else { throw FixtureError("key rotate printed no keyId: \(rotated)") }
        if let confirmer {
            // The confirming admin names the key id the person read at `key rotate`.
            try must(["user", "confirm", person.id, "--key", keyID, "--admin", confirmer, "--admin-password-file", pw(confirmer),
                      "--reason", "badge checked in person"])
        }
        return keyID
    }

    public func propose(_ id: String, type: String = "register", author: String = "alice") throws {
        try must(["change", "propose", "--id", id, "--model", "vision-qc", "--version", "2.0", "--type", type,
                  "--reason", "retrained on line 3", "--user", author, "--password-file", pw(author)])
    }

    @discardableResult
    public func run(_ args: [String], env extra: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.auditctl(args, dataDir: data, environment: env.merging(extra) { _, n in n })
    }

    /// Runs and requires exit 0 (fixture steps).
    @discardableResult
    public func must(_ args: [String], env extra: [String: String] = [:]) throws -> CommandResult {
        let r = try run(args, env: extra)
        guard r.status == 0 else { throw FixtureError("auditctl \(args.prefix(3).joined(separator: " ")) failed: \(r)") }
        return r
    }

    public func write(_ text: String, _ name: String) throws {
        try (text + "\n").write(toFile: dir.file(name), atomically: true, encoding: .utf8)
    }

    public var ledgerPath: String { data + "/ledger.sqlite" }

    public func entryKinds() throws -> [String] {
        try CommandRunner.sqlite(ledgerPath, "SELECT kind FROM entries ORDER BY seq").stdout
            .split(separator: "\n").map(String.init)
    }

    public func size() throws -> Int { try entryKinds().count }

    /// `auditctl verify --json`, parsed.
    public func verifyReport() throws -> (result: CommandResult, report: JSONValue) {
        let r = try run(["verify", "--json"])
        return (r, try JSONValue.parse(r.stdout))
    }
}

extension TestRecordsHome {
    /// The edge key password file (`--edge-key-password-file`).
    public var edgePassword: String { dir.file("edge.pw") }

    /// `edge keygen` in `state`, `edge enroll` by `enroller`, `user confirm` by `confirmer`
    /// (nil: left unconfirmed, so its decisions do not count).
    public func enrollEdge(_ id: String, state: String, enroller: String = TestCast.enroller,
                           confirmer: String? = TestCast.confirmer) throws {
        try write("edge key password 1", "edge.pw")
        try must(["edge", "keygen", "--state", state, "--id", id, "--edge-key-password-file", edgePassword])
        try must(["edge", "enroll", "--id", id, "--name", "Edge \(id)", "--public-key", state + "/edge-identity.json",
                  "--admin", enroller, "--admin-password-file", pw(enroller), "--reason", "commissioned"])
        if let confirmer {
            let identity = try JSONValue.parse(String(contentsOfFile: state + "/edge-identity.json", encoding: .utf8))
            guard let keyID = identity["keyId"]?.stringValue else { throw FixtureError("edge-identity.json has no keyId") }
            try must(["user", "confirm", id, "--key", keyID, "--admin", confirmer, "--admin-password-file", pw(confirmer),
                      "--reason", "key fingerprint read off the device"])
        }
    }
}

// MARK: Raw access, as an attacker with the data directory and the log key password has it

extension TestRecordsHome {
    public static let logKeyPassword = "log key password 1"

    /// The ledger opened in-process with the log key (appends get signed checkpoints).
    public func openStore() throws -> LedgerStore {
        try LedgerHome(directory: data).open(keySource: .password(Self.logKeyPassword))
    }

    /// The records state as the replay derives it, problems included.
    public func replayed() throws -> RecordsState {
        try RecordsState.fold(store: LedgerHome(directory: data).open(readOnly: true))
    }

    /// A person's private key from their sealed key file (default: their active key).
    public func privateKey(of id: String, password: String? = nil, keyID: Digest? = nil) throws -> Ed25519PrivateKey {
        let user = try replayed().users[id] ?? { throw FixtureError("no user '\(id)'") }()
        guard let keyID = keyID ?? user.activeKey?.keyID ?? user.keys.last?.keyID else { throw FixtureError("'\(id)' has no key") }
        let path = "\(data)/keys/\(id)/\(keyID.hex).sealed"
        return try SealedKey.open([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), password: password ?? TestCast.password(id), source: path)
    }

    /// Appends straight through `LedgerStore.append` (hash chain and checkpoints intact).
    @discardableResult
    public func forge(_ kind: String, actor: String, subject: String = "", payload: JSONValue = .object([:]),
                      signedBy authority: Forger = .unsigned) async throws -> Entry {
        let store = try openStore()
        return try await store.append(EntryDraft(kind: kind, actor: actor, subject: subject, payload: payload,
                                                 authority: authority.authorizing))
    }
}
