import AuditCore
import AuditCrypto
import AuditLedger
import AuditPolicy
import AuditRecords
import Foundation

/// A real ledger built the only way the model allows, through the records service:
/// `Genesis` binds the founding admins ada and bob in `ledger.created`; ada records the
/// approval policy and bob confirms it; each person is enrolled by ada with a one-time
/// password, replaces it with their own key rotation, and is confirmed by bob. The log key
/// sits in a plain key file (no Argon2 cost), as do fast Argon2 costs for people.
public struct TestRecords: Sendable {
    public let directory: TemporaryDirectory
    public let home: LedgerHome
    public let keyFile: String
    public let store: LedgerStore
    public let service: RecordsService
    /// The policy recorded and confirmed (the shipped one, with any `security:` overrides).
    public let policy: ApprovalPolicy
    public let policyBytes: [UInt8]
    public let clock: TestClock

    public static let origin = "test.example/records"

    /// - Parameters:
    ///   - people: enrolled (and confirmed by bob) after the policy, in order.
    ///   - security: `security:` values of the recorded policy, e.g. `["lockoutThreshold": "3"]`.
    ///   - recordPolicy: false leaves the ledger with the founders only (no policy, nobody else).
    public static func make(people: [TestCast.Person] = TestCast.people, security: [String: String] = [:],
                            recordPolicy: Bool = true, origin: String = origin) async throws -> TestRecords {
        let directory = TemporaryDirectory("records")
        let home = LedgerHome(directory: directory.file("data"))
        let keyFile = directory.file("log.key")
        _ = try await Genesis.create(home: home, origin: origin, protection: .plainKeyFile(path: keyFile),
                                     founders: TestCast.founders.map {
                                         Genesis.Founder(id: $0.id, printedName: $0.name, password: TestCast.password($0.id))
                                     },
                                     configuration: .testing, synchronous: .normal)
        let store = try home.open(keySource: .signerKey(String(contentsOfFile: keyFile, encoding: .utf8)), synchronous: .normal)
        let clock = TestClock()
        let service = RecordsService(store: store, directory: home.directory, configuration: .testing, clock: clock.function)
        let bytes = Array(try TestCast.approvalPolicyText(security: security).utf8)
        let policy = try ApprovalPolicy.load(bytes: bytes, file: "approval.yaml")
        let f = TestRecords(directory: directory, home: home, keyFile: keyFile, store: store, service: service,
                            policy: policy, policyBytes: bytes, clock: clock)
        guard recordPolicy else { return f }
        try await service.recordPolicy(policy, bytes: bytes, reason: "initial policy", by: f.admin)
        try await service.confirmPolicy(reason: "reviewed the initial policy", by: f.secondAdmin)
        for person in people { try await f.enroll(person) }
        return f
    }

    public static func creds(_ id: String, _ password: String? = nil) -> Credentials {
        Credentials(userID: id, password: password ?? TestCast.password(id))
    }
    public func creds(_ id: String, _ password: String? = nil) -> Credentials { Self.creds(id, password) }
    /// ada: enrolls, grants, records.
    public var admin: Credentials { Self.creds(TestCast.enroller) }
    /// bob: the second admin who confirms what ada did.
    public var secondAdmin: Credentials { Self.creds(TestCast.confirmer) }
    public var knownRoles: Set<String> { Set(policy.roles) }

    /// Enrollment by `enroller` with a one-time password, the person's own rotation, then
    /// (unless `confirmer` is nil) the second admin's identity confirmation naming that key.
    public func enroll(_ person: TestCast.Person, enroller: String = TestCast.enroller,
                       confirmer: String? = TestCast.confirmer) async throws {
        try await service.addUser(NewUser(id: person.id, printedName: person.name, roles: person.roles,
                                          initialPassword: TestCast.oneTimePassword(person.id)),
                                  reason: "new hire", knownRoles: knownRoles, by: Self.creds(enroller))
        let key = try await service.rotateKey(Self.creds(person.id, TestCast.oneTimePassword(person.id)),
                                              newPassword: TestCast.password(person.id), reason: "first login")
        if let confirmer {
            // The confirming admin names the key id the person read at `key rotate`.
            try await service.confirmIdentity(of: person.id, keyID: key.keyID.prefixed, evidence: "badge checked in person",
                                              by: Self.creds(confirmer))
        }
    }

    public func enroll(_ id: String, name: String, roles: [String], confirmed: Bool = true) async throws {
        try await enroll(TestCast.Person(id, name, roles), confirmer: confirmed ? TestCast.confirmer : nil)
    }

    /// ada grants, bob confirms: the role is in force afterwards.
    public func grant(_ role: String, to id: String) async throws {
        try await service.setRole(role, granted: true, for: id, reason: "cover", knownRoles: knownRoles, by: admin)
        try await service.confirmIdentity(of: id, evidence: "grant checked", by: secondAdmin)
    }

    public func propose(_ type: ChangeType = .promote, id: String? = nil, version: String = "1.0",
                        author: String = "alice", artifact: Digest? = nil) async throws -> ChangeVersion {
        try await service.propose(ChangeProposal(changeID: id, changeType: type, model: "vision-qc", modelVersion: version,
                                                 reason: "retrained on line-3 data", artifactDigest: artifact),
                                  by: Self.creds(author))
    }

    @discardableResult
    public func sign(_ change: String, _ who: String, _ meaning: Meaning, password: String? = nil,
                     comment: String = "") async throws -> SignResult {
        try await service.sign(changeID: change, meaning: meaning, comment: comment, policy: policy, as: Self.creds(who, password))
    }

    /// The state commands act on (throws `.needsAttention` after a rejected entry).
    public func state() throws -> RecordsState { try service.state() }
    /// The replayed state with its problems, as `verify` sees it.
    public func replayed() throws -> RecordsState { try service.replayedState() }
    public func kinds() throws -> [String] { try store.entries().map(\.kind) }
    public func problems() throws -> [RecordsProblem] { try RecordsAudit.problems(in: store) }

    // MARK: Raw access, as an attacker with the data directory and the log key has it

    /// The log key (it signs `auth.failed` / `account.locked` and every checkpoint).
    public func logKey() throws -> Ed25519PrivateKey {
        try NoteSigner.parse(String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)).privateKey
    }

    /// A person's private key from their sealed key file (default: their active key).
    public func privateKey(of id: String, password: String? = nil, keyID: Digest? = nil) throws -> Ed25519PrivateKey {
        let user = try replayed().users[id] ?? { throw FixtureError("no user '\(id)'") }()
        guard let keyID = keyID ?? user.activeKey?.keyID ?? user.keys.last?.keyID else { throw FixtureError("'\(id)' has no key") }
        let path = "\(home.directory)/keys/\(id)/\(keyID.hex).sealed"
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return try SealedKey.open(bytes, password: password ?? TestCast.password(id), source: path)
    }

    /// Appends straight through `LedgerStore.append`, signed however `authority` says (the
    /// hash chain and checkpoints stay intact: the attacker holds the log key).
    @discardableResult
    public func forge(_ kind: String, actor: String, subject: String = "", payload: JSONValue = .object([:]),
                      signedBy authority: Forger = .unsigned) async throws -> Entry {
        try await store.append(EntryDraft(kind: kind, actor: actor, subject: subject, payload: payload,
                                          authority: authority.authorizing))
    }
}

/// How a forged entry's `payload.authority` is made.
public enum Forger: Sendable {
    /// No `authority` at all.
    case unsigned
    /// A valid signature at the entry's position, by these keys (the wrong ones, a revoked
    /// one, a key not yet confirmed, or the right one of someone without the power).
    case keys([Ed25519PrivateKey])
    /// These exact signatures, whatever the entry's position (copied from another entry).
    case copied([AuthoritySignature])

    public static func key(_ key: Ed25519PrivateKey) -> Forger { .keys([key]) }

    var authorizing: (any EntryAuthorizing)? {
        switch self {
        case .unsigned: return nil
        case .keys(let keys): return KeyAuthority(keys: keys)
        case .copied(let signatures): return CopiedAuthority(signatures: signatures)
        }
    }
}

/// Hands the writer signatures made for some other statement.
public struct CopiedAuthority: EntryAuthorizing {
    public let signatures: [AuthoritySignature]
    public init(signatures: [AuthoritySignature]) { self.signatures = signatures }
    public func sign(statement: [UInt8]) throws -> [AuthoritySignature] { signatures }
}
