import AuditBundle
import AuditCore
import AuditCrypto
import AuditPolicy
import AuditTesting
import Foundation
import Testing

/// A plant ledger in memory that releases models the way `auditctl bundle create`,
/// `bundle refresh` and `edge sync-file` do (same anchors, same `ConsistencyCandidates`),
/// and an edge with a state directory that verifies offline. Every append is followed by a
/// stored checkpoint, as the real writer does by default.
final class ReleaseLedger: @unchecked Sendable {
    struct Release {
        let bundle: String
        let changeID: String
        let approvalSeq: Int
        let statement: ModelStatement
    }

    let dir = TemporaryDirectory("release")
    var log: FakeLog
    private(set) var checkpointSizes: [Int] = []
    private(set) var approvalSeqs: [Int] = []
    let approvers = [
        BundleFixture.Approver(id: "quinn", key: .generate(), roles: ["qa-reviewer"]),
        BundleFixture.Approver(id: "pat", key: .generate(), roles: ["process-owner"]),
        BundleFixture.Approver(id: "oscar", key: .generate(), roles: ["ot-security"]),
    ]
    let producer = BundleFixture.Approver(id: "dana", key: .generate(), roles: ["author"])
    let trust: TrustRoot
    private var changes = 0

    init() throws {
        log = try FakeLog()
        checkpointSizes = [log.entries.count]
        let policy = try String(contentsOfFile: BundleFixture.policyPath, encoding: .utf8)
        trust = TrustRoot(log: log.trustLog,
                          signers: (approvers + [producer]).map {
                              TrustRoot.Signer(id: $0.id, publicKey: $0.key.publicKey, roles: $0.roles,
                                               notBefore: UTCTime.parse("2026-01-01T00:00:00.000Z")!)
                          },
                          approvalPolicy: TrustRoot.Policy(digest: SHA256.hash(policy), document: policy))
    }

    /// Unrelated ledger activity (enrollments, signatures, other lines), each with a checkpoint.
    func activity(_ count: Int) {
        for i in 0..<count {
            log.append(kind: "note.added", actor: "dana", subject: "", payload: .object(["n": .number(Double(i))]))
            checkpointSizes.append(log.entries.count)
        }
    }

    /// A model directory whose weights are `content`, and its approved change in the ledger.
    func approve(model: String = "defect-detector", version: String, content: String, zone: String = "line-3",
                 type: ChangeType = .promote) throws -> Release {
        changes += 1
        let changeID = "chg-\(changes)"
        let bundle = dir.file("\(changeID)-\(model)-\(version)")
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        try Data(content.utf8).write(to: URL(fileURLWithPath: bundle + "/weights.bin"))
        let release = ReleaseInfo(changeID: changeID, modelName: model, modelVersion: version, zones: [zone])
        let statement = try BundleSigner.makeStatement(directory: bundle, release: release)
        activity(1)  // the proposal and its e-signatures
        let entry = log.append(kind: EntryKind.changeApproved, actor: "system", subject: changeID,
                               payload: BundleFixture.approvalPayload(changeID: changeID, digest: statement.subjectDigest,
                                                                      version: version, zones: [zone], model: model, type: type))
        checkpointSizes.append(log.entries.count)
        approvalSeqs.append(entry.seq)
        return Release(bundle: bundle, changeID: changeID, approvalSeq: entry.seq, statement: statement)
    }

    /// `bundle create` + `bundle sign` by all approvers: anchored at the approval's checkpoint.
    func build(_ r: Release) throws {
        let file = try BundleSigner.sign(r.statement, producer: .ed25519(producer.key))
        try file.write(path: r.bundle + "/model.sig")
        try ApproverSignatures.write(BundleSigner.approve(file, existing: nil, keys: approvers.map(\.key)),
                                     path: r.bundle + "/model.approvers.dsse.json")
        let anchor = try #require(ConsistencyCandidates.approvalCheckpoint(seq: r.approvalSeq, checkpointSizes: checkpointSizes))
        try proof(r, anchor: anchor).write(path: r.bundle + "/model.approval.json")
    }

    /// `bundle refresh`: the same approval re-anchored at the newest checkpoint.
    func refresh(_ r: Release) throws {
        let old = try ApprovalProof.read(path: r.bundle + "/model.approval.json")
        try proof(r, anchor: checkpointSizes.last!, extra: [old.treeSize]).write(path: r.bundle + "/model.approval.json")
    }

    /// `edge sync-file`: the newest checkpoint with the usual consistency proofs.
    func syncFile(extra: [Int] = []) throws -> EdgeSyncFile {
        let anchor = checkpointSizes.last!
        return EdgeSyncFile(checkpoint: try log.checkpoint(size: anchor), consistency: log.consistencySteps(to: anchor, from: sizes(anchor, extra)))
    }

    func proof(_ r: Release, anchor: Int, extra: [Int] = []) throws -> ApprovalProof {
        var p = try log.proof(seq: r.approvalSeq, size: anchor)
        p = p.reanchored(treeSize: p.treeSize, inclusionPath: p.inclusionPath, checkpoint: p.checkpoint,
                         consistency: log.consistencySteps(to: anchor, from: sizes(anchor, extra)))
        return p
    }

    private func sizes(_ anchor: Int, _ extra: [Int]) -> [Int] {
        ConsistencyCandidates.sizes(anchor: anchor, approvalSeqs: approvalSeqs, checkpointSizes: checkpointSizes, extra: extra,
                                    fromApprovals: Limits.consistencyFromApprovals,
                                    fromRecent: Limits.consistencyFromRecentCheckpoints,
                                    limit: Limits.maxApprovalConsistencyProofs)
    }
}

/// An edge with its own state directory, verifying offline and recording like verify-bundle.
struct Edge {
    let store: EdgeStateStore
    let trust: TrustRoot
    let zone: String

    init(_ ledger: ReleaseLedger, name: String = "edge", zone: String = "line-3") {
        store = EdgeStateStore(directory: ledger.dir.file(name))
        trust = ledger.trust
        self.zone = zone
    }

    @discardableResult
    func deploy(_ bundle: String) throws -> VerificationResult {
        let result = try Verifier(trust: trust).verify(bundleDirectory: bundle, options: VerifyOptions(zone: zone, state: try store.load()))
        try EdgeRecorder.record(result, bundle: bundle, zone: zone, store: store)
        return result
    }

    func sync(_ file: EdgeSyncFile) throws(EdgeSync.Failure) -> EdgeSync.Outcome {
        try EdgeSync.apply(file, trust: trust, store: store)
    }

    var state: EdgeState { get throws { try store.load() } }
}
