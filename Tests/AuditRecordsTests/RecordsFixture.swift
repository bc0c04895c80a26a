import AuditCore
import AuditLedger
import AuditPolicy
@testable import AuditRecords
import AuditTesting
import Foundation

/// Real time plus an offset tests can move forward (the ledger stamps entries with real time).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    var date: Date { lock.withLock { Date() + offset } }
    func advance(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
    var function: @Sendable () -> Date { { [self] in self.date } }
}

/// A real ledger with the default policy recorded and enrolled people who replaced their
/// one-time passwords: ada (admin), alice (author), quinn (qa-reviewer), pat (process-owner),
/// otto (ot-security), dual (qa-reviewer + process-owner).
struct RecordsFixture {
    static let policyPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Policies/approval.yaml").standardized.path
    let ledger: TestLedger
    let service: RecordsService
    let policy: ApprovalPolicy
    let clock: TestClock
    var store: LedgerStore { ledger.store }

    static func password(_ id: String) -> String { "\(id)-password-1" }
    static func creds(_ id: String, _ password: String? = nil) -> Credentials { Credentials(userID: id, password: password ?? Self.password(id)) }
    var admin: Credentials { Self.creds("ada") }

    static func make(lockoutThreshold: Int = 5) async throws -> RecordsFixture {
        let ledger = try await TestLedger.make()
        var config = RecordsConfiguration.testing
        config.lockoutThreshold = lockoutThreshold
        let clock = TestClock()
        let service = RecordsService(store: ledger.store, directory: ledger.home.directory, configuration: config, clock: clock.function)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: policyPath)))
        let policy = try ApprovalPolicy.load(bytes: bytes, file: "approval.yaml")
        let f = RecordsFixture(ledger: ledger, service: service, policy: policy, clock: clock)
        let roles = Set(policy.roles)
        try await service.addUser(NewUser(id: "ada", printedName: "Ada Admin", roles: ["admin"], initialPassword: password("ada")),
                                  reason: "bootstrap", knownRoles: roles, by: nil)
        try await service.recordPolicy(policy, bytes: bytes, reason: "initial policy", by: f.admin)
        for (id, name, userRoles) in [("alice", "Alice Author", ["author"]), ("quinn", "Quinn QA", ["qa-reviewer"]),
                                      ("pat", "Pat Process", ["process-owner"]), ("otto", "Otto Security", ["ot-security"]),
                                      ("dual", "Dana Dual", ["qa-reviewer", "process-owner"])] {
            try await f.enroll(id, name: name, roles: userRoles)
        }
        return f
    }

    /// Admin enrollment with a one-time password, then the user's own rotation.
    func enroll(_ id: String, name: String, roles: [String]) async throws {
        try await service.addUser(NewUser(id: id, printedName: name, roles: roles, initialPassword: "one-time-\(id)-pass"),
                                  reason: "new hire", knownRoles: Set(policy.roles), by: admin)
        try await service.rotateKey(Self.creds(id, "one-time-\(id)-pass"), newPassword: Self.password(id), reason: "first login")
    }

    func propose(_ type: ChangeType = .promote, id: String? = nil, version: String = "1.0", author: String = "alice") async throws -> ChangeVersion {
        try await service.propose(ChangeProposal(changeID: id, changeType: type, model: "vision-qc", modelVersion: version,
                                                 reason: "retrained on line-3 data"), by: Self.creds(author))
    }

    @discardableResult
    func sign(_ change: String, _ who: String, _ meaning: Meaning, password: String? = nil) async throws -> SignResult {
        try await service.sign(changeID: change, meaning: meaning, comment: "", policy: policy, as: Self.creds(who, password))
    }

    func state() throws -> RecordsState { try service.state() }
    func kinds() throws -> [String] { try store.entries().map(\.kind) }
}

/// Runs `body` expecting a RecordsError; returns it.
func recordsError(_ body: () async throws -> Void) async -> RecordsError? {
    do { try await body(); return nil } catch let e as RecordsError { return e } catch { return nil }
}
