import AuditCore
import AuditCrypto
import AuditLedger
import AuditPolicy
import AuditRecords
import AuditTesting
import Foundation

/// The ledger ServerBench and ServerLayers measure: two founding admins, the shipped
/// approval policy in force, alice (author), ivy (auditor), quinn (qa-reviewer, production
/// Argon2id costs so signing is measured at its real price), 64 proposed changes, then
/// notes up to `entries`. Both tools build it the same way so their figures are comparable.
public struct BenchLedger: Sendable {
    public let directory: TemporaryDirectory
    public let home: LedgerHome
    public let store: LedgerStore
    public let policy: ApprovalPolicy
    public let setupSeconds: Double
    public static let logKeyPassword = "log-key-pw-1"

    public static func password(_ id: String) -> String { "\(id)-password-1" }
    public static func creds(_ id: String) -> Credentials { Credentials(userID: id, password: password(id)) }

    public static func make(entries entryCount: Int) async throws -> BenchLedger {
        let policyPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Policies/approval.yaml").standardized.path
        let dir = TemporaryDirectory("auditctl-serverbench")
        let home = LedgerHome(directory: dir.path + "/data")
        let start = Date()
        let store = try await Genesis.create(home: home, origin: "bench.example/plant",
                                             protection: .sealed(password: logKeyPassword, parameters: .testing),
                                             founders: [.init(id: "ada", printedName: "Ada Admin", password: password("ada")),
                                                        .init(id: "bob", printedName: "Bob Admin", password: password("bob"))],
                                             configuration: .testing, synchronous: .normal)
        let cheap = RecordsService(store: store, directory: home.directory, configuration: .testing)
        let production = RecordsService(store: store, directory: home.directory, configuration: RecordsConfiguration())
        let policyBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: policyPath)))
        let policy = try ApprovalPolicy.load(bytes: policyBytes, file: "Policies/approval.yaml")
        try await cheap.recordPolicy(policy, bytes: policyBytes, reason: "bench", by: creds("ada"))
        try await cheap.confirmPolicy(reason: "bench", by: creds("bob"))
        for (id, roles, service) in [("alice", ["author"], cheap), ("ivy", ["auditor"], cheap), ("quinn", ["qa-reviewer"], production)] {
            try await cheap.addUser(NewUser(id: id, printedName: id.capitalized, roles: roles, initialPassword: "one-time-\(id)-pw"),
                                    reason: "bench", knownRoles: Set(policy.roles), by: creds("ada"))
            let key = try await service.rotateKey(Credentials(userID: id, password: "one-time-\(id)-pw"), newPassword: password(id), reason: "bench")
            try await cheap.confirmIdentity(of: id, keyID: String(key.keyID.hex.prefix(12)), evidence: "bench", by: creds("bob"))
        }
        for i in 0..<64 {
            try await cheap.propose(ChangeProposal(changeID: "chg-\(i)", changeType: .register, model: "model-\(i % 8)", modelVersion: "1.\(i)",
                                                   reason: "bench change \(i)", artifactDigest: SHA256.hash(Array("m\(i)".utf8))),
                                    by: creds("alice"))
        }
        var remaining = entryCount - (try store.size())
        while remaining > 0 {
            let n = min(remaining, 1_000)
            try await store.append((0..<n).map { i in
                EntryDraft(kind: EntryKind.noteAdded, actor: "line-\(i % 12)", subject: "cell-\(i % 40)",
                           payload: ["note": .string("shift report \(i)"), "value": .number(Double(i))])
            })
            remaining -= n
        }
        return BenchLedger(directory: dir, home: home, store: store, policy: policy, setupSeconds: Date().timeIntervalSince(start))
    }
}
