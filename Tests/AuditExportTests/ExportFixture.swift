import AuditBundle
import AuditCore
import AuditCrypto
import AuditExport
import AuditLedger
import AuditPolicy
import AuditRecords
import AuditTesting
import Foundation

/// A ledger built through the public APIs only, as people would: two founding admins,
/// the approval policy recorded and confirmed, enrolled and confirmed signers, an auditor,
/// an edge, and changes that end approved, revised then approved, rejected and expired,
/// with signatures, a waiver, deployments verified and blocked, a lockout and a note whose
/// subject would be a spreadsheet formula.
struct ExportFixture: Sendable {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let origin = "plant3.example/ledger"
    static let finding = "ZR-007:line1-ai>c-line-plc>plc-cell>c-sis-plc>sis"

    let directory: TemporaryDirectory
    let home: LedgerHome
    let store: LedgerStore
    let service: RecordsService
    let policy: ApprovalPolicy
    let logSigner: NoteSigner
    var verifierKey: NoteVerifierKey { logSigner.verifierKey }

    static func password(_ id: String) -> String { "\(id)-password-1" }
    static func creds(_ id: String) -> Credentials { Credentials(userID: id, password: password(id)) }

    static func make() async throws -> ExportFixture {
        let dir = TemporaryDirectory("export")
        let home = LedgerHome(directory: dir.file("data"))
        let keyFile = dir.file("log.key")
        let store = try await Genesis.create(
            home: home, origin: origin, protection: .plainKeyFile(path: keyFile),
            founders: [Genesis.Founder(id: "ada", printedName: "Ada Admin", password: password("ada")),
                       Genesis.Founder(id: "bob", printedName: "Bob Admin", password: password("bob"))],
            configuration: .testing, synchronous: .normal)
        let signer = try NoteSigner.parse(String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        let service = RecordsService(store: store, directory: home.directory, configuration: .testing)
        let bytes = [UInt8](try Data(contentsOf: repo.appendingPathComponent("Policies/approval.yaml")))
        let policy = try ApprovalPolicy.load(bytes: bytes, file: "approval.yaml")
        let f = ExportFixture(directory: dir, home: home, store: store, service: service, policy: policy, logSigner: signer)
        try await service.recordPolicy(policy, bytes: bytes, reason: "initial approval policy", by: creds("ada"))
        try await service.confirmPolicy(reason: "reviewed against SOP-QA-014", by: creds("bob"))
        for (id, name, roles) in [("alice", "Alice Author", ["author"]), ("quinn", "Quinn QA", ["qa-reviewer"]),
                                  ("pat", "Pat Process", ["process-owner"]), ("otto", "Otto Security", ["ot-security"]),
                                  ("ivy", "Ivy Inspector", ["auditor"]), ("lee", "Lee Reviewer", ["qa-reviewer"])] {
            try await f.enroll(id, name: name, roles: roles)
        }
        try await f.buildHistory()
        return f
    }

    /// Admin A enrolls with a one-time password, the person rotates to their own, admin B confirms.
    func enroll(_ id: String, name: String, roles: [String]) async throws {
        let oneTime = "one-time-\(id)-pass"
        try await service.addUser(NewUser(id: id, printedName: name, roles: roles, initialPassword: oneTime),
                                  reason: "new hire, ticket HR-\(id.count)", knownRoles: Set(policy.roles), by: Self.creds("ada"))
        let key = try await service.rotateKey(Credentials(userID: id, password: oneTime), newPassword: Self.password(id), reason: "first login")
        // bob names the key id the person read at `key rotate`.
        try await service.confirmIdentity(of: id, keyID: key.keyID.prefixed, evidence: "badge and ID card checked in person",
                                          by: Self.creds("bob"))
    }

    private func propose(_ id: String, _ type: ChangeType, model: String, version: String, reason: String,
                         zone: String? = nil) async throws {
        try await service.propose(ChangeProposal(changeID: id, changeType: type, model: model, modelVersion: version, reason: reason,
                                                 artifactDigest: SHA256.hash(Array("\(model)-\(version)".utf8)), targetZone: zone),
                                  by: Self.creds("alice"))
    }

    private func sign(_ change: String, _ who: String, _ meaning: Meaning, _ comment: String = "") async throws {
        _ = try await service.sign(changeID: change, meaning: meaning, comment: comment, policy: policy, as: Self.creds(who))
    }

    private func buildHistory() async throws {
        try await propose("chg-approved", .promote, model: "vision-qc", version: "2.1.0", reason: "retrained on line-3 data", zone: "line1-ai")
        try await sign("chg-approved", "quinn", .approved, "validation report VR-88 reviewed")
        try await sign("chg-approved", "pat", .responsibility)
        try await sign("chg-approved", "otto", .approved, "zone admission checked")

        try await propose("chg-revised", .register, model: "vision-qc", version: "2.2.0", reason: "new backbone")
        try await propose("chg-revised", .register, model: "vision-qc", version: "2.2.1", reason: "new backbone, fixed preprocessing")
        try await sign("chg-revised", "quinn", .reviewed, "re-reviewed after the revision")

        try await propose("chg-rejected", .promote, model: "defect-net", version: "1.0.0", reason: "first production release", zone: "line2-ai")
        try await sign("chg-rejected", "quinn", .rejected, "false-reject rate above the limit")

        try await propose("chg-expired", .rollback, model: "vision-qc", version: "2.0.0", reason: "incident IR-7: fall back")

        try await service.grantWaiver(WaiverRequest(findingID: Self.finding, reason: "read-only SIS gateway installed under CC-31",
                                                    expiresAt: Date() + 30 * 86_400), as: Self.creds("otto"))
        try await service.appendFreeForm(kind: EntryKind.noteAdded, subject: "=HYPERLINK(\"http://x\")",
                                         payload: ["text": "-2+3 shift handover, \"quoted\", line break\nhere"], by: Self.creds("alice"))
        for _ in 0..<5 { _ = try? await service.authorizeExport(Credentials(userID: "lee", password: "wrong-password-xx")) }
        try await service.unlockUser("lee", reason: "identity confirmed by phone", by: Self.creds("ada"))

        // An edge with its own key, enrolled and confirmed; one release loads, one is blocked.
        let edgeState = EdgeStateStore(directory: directory.file("edge"))
        try FileManager.default.createDirectory(atPath: edgeState.directory, withIntermediateDirectories: true)
        let edge = try EdgeIdentity.create(id: "edge-01", password: "edge-key-password", store: edgeState, parameters: .testing)
        try await service.addEdge(id: "edge-01", printedName: "Line 1 IPC", publicKey: edge.publicKey, reason: "line 1 inference PC",
                                  by: Self.creds("ada"))
        try await service.confirmIdentity(of: "edge-01", keyID: edge.publicKey.keyID.prefixed, evidence: "serial number checked on site",
                                          by: Self.creds("bob"))
        let signer = try edge.signer(password: "edge-key-password", store: edgeState)
        func decision(_ kind: String, _ change: String, _ verdict: String, _ checks: [JSONValue]) throws -> JSONValue {
            try signer.sign(["kind": .string(kind), "time": .string(UTCTime.now()), "subject": .string(change),
                             "payload": ["verdict": .string(verdict), "bundle": .string("/models/\(change).bundle"), "zone": "line1-ai",
                                         "model": "vision-qc", "version": "2.1.0", "checks": .array(checks)]])
        }
        _ = try await service.recordDeployments([
            try decision(EntryKind.deploymentVerified, "chg-approved", "may-load", [["code": "signature", "status": "pass", "detail": "3 signatures"]]),
            try decision(EntryKind.deploymentBlocked, "chg-rejected", "blocked", [["code": "approval", "status": "fail", "detail": "change was rejected"]]),
        ], source: "edge-01 decisions.jsonl")
    }

    /// Writes an export as `who` (ivy, the auditor, by default).
    func export(_ name: String = "export.zip", request: ExportRequest = ExportRequest(site: "Plant 3, Line 1"),
                as who: String = "ivy", now: Date = Date() + 9 * 3600) async throws -> ExportResult {
        let authorization = try await service.authorizeExport(Self.creds(who))
        return try await ExportWriter.write(service: service, authorization: authorization, request: request,
                                            logSigner: logSigner, to: directory.file(name), now: now)
    }
}

/// A fresh key under the fixture's origin, for "signed by someone else" cases.
enum AuditCryptoBridge {
    static func verifierKey(origin: String) throws -> String {
        try NoteSigner(name: origin, privateKey: Ed25519PrivateKey.generate()).verifierKey.encoded
    }
}
