import AuditCore
import AuditCrypto
import AuditLedger
import AuditPolicy
@testable import AuditRecords
import AuditTesting
import Foundation

/// The records tests' fixture is the shared `TestRecords` (AuditTesting): a real ledger whose
/// founding admins ada and bob are bound in `ledger.created`, the default policy recorded by
/// ada and confirmed by bob, and alice (author), quinn (qa-reviewer), pat (process-owner),
/// otto (ot-security), dual (qa-reviewer + process-owner) enrolled by ada, rotated to their
/// own passwords and confirmed by bob.
typealias RecordsFixture = TestRecords

extension TestRecords {
    static var policyPath: String { TestCast.approvalPolicyPath }
    static func password(_ id: String) -> String { TestCast.password(id) }

    /// Security limits live in the recorded policy: a lower threshold is recorded and confirmed.
    static func make(lockoutThreshold: Int) async throws -> TestRecords {
        try await make(security: ["lockoutThreshold": String(lockoutThreshold)])
    }

    /// The key a tamperer holding `user`'s password could open (internal API, as the service uses it).
    func openKey(_ user: String, password: String? = nil) throws -> AuditCrypto.Ed25519PrivateKey {
        let state = try replayed()
        guard let record = state.users[user], let key = record.activeKey ?? record.keys.last else { throw FixtureError("no key of \(user)") }
        return try service.openKey(of: record, key, password: password ?? TestCast.password(user))
    }
}

/// Runs `body` expecting a RecordsError; returns it.
func recordsError(_ body: () async throws -> Void) async -> RecordsError? {
    do { try await body(); return nil } catch let e as RecordsError { return e } catch { return nil }
}
