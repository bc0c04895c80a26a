import AuditBundle
import AuditCore
import AuditCrypto
import Foundation
import Testing

/// The release cycle of an offline edge that keeps `--state`, in any order of arrival, and
/// the refusals that must survive it. Bundles are built as `bundle create` builds them.
@Suite("Release cycle at an offline edge")
struct ReleaseCycleTests {
    func expectLoads(_ r: VerificationResult, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.mayLoad, "\(comment.map { "\($0): " } ?? "")\(r.checks.filter { $0.status == .failed }.map { "\($0.id.rawValue): \($0.detail)" })",
                sourceLocation: sourceLocation)
    }

    func expectBlocked(_ r: VerificationResult, by id: CheckID, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.firstFailure?.id == id, "\(r.checks.filter { $0.status == .failed }.map { "\($0.id.rawValue): \($0.detail)" })",
                sourceLocation: sourceLocation)
    }

    /// v1 → v2 → v3 of one model, with ledger activity in between: each later bundle proves
    /// consistency from the checkpoint the edge took from the one before (the old exit 27).
    @Test func successiveVersionsOfOneModelLoad() throws {
        let ledger = try ReleaseLedger()
        let edge = Edge(ledger)
        for (i, version) in ["1.0.0", "1.1.0", "2.0.0"].enumerated() {
            ledger.activity(5)
            let r = try ledger.approve(version: version, content: "weights v\(i)")
            try ledger.build(r)
            ledger.activity(3)
            expectLoads(try edge.deploy(r.bundle), "\(version)")
            let accepted = try #require(try edge.state.lastAccepted(model: "defect-detector", zone: "line-3"))
            #expect(accepted.version == version && accepted.approvalSeq == r.approvalSeq)
        }
    }

    /// Two models whose bundles were built in either order arrive in either order.
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func twoModelsInAnyOrder(buildBFirst: Bool, deployBFirst: Bool) throws {
        let ledger = try ReleaseLedger()
        let a = try ledger.approve(model: "defect-detector", version: "1.0.0", content: "A")
        ledger.activity(4)
        let b = try ledger.approve(model: "weld-seam", version: "3.1.0", content: "B")
        ledger.activity(2)
        for r in buildBFirst ? [b, a] : [a, b] { try ledger.build(r); ledger.activity(2) }
        let edge = Edge(ledger)
        for r in deployBFirst ? [b, a] : [a, b] { expectLoads(try edge.deploy(r.bundle), "\(r.changeID)") }
    }

    /// A bundle built weeks ago loads today after the edge moved on (a newer bundle of
    /// another model and a sync file taught it the old anchor); when the edge never learned
    /// it, the refusal names the remedy and `bundle refresh` lets it load.
    @Test func aBundleBuiltWeeksAgoLoadsToday() throws {
        let ledger = try ReleaseLedger()
        let old = try ledger.approve(version: "1.0.0", content: "old")
        try ledger.build(old)
        ledger.activity(40)
        let other = try ledger.approve(model: "weld-seam", version: "1.0.0", content: "other")
        try ledger.build(other)
        ledger.activity(10)

        let edge = Edge(ledger)
        expectLoads(try edge.deploy(other.bundle))
        _ = try edge.sync(try ledger.syncFile())
        expectLoads(try edge.deploy(old.bundle), "old bundle after the edge moved on")

        // An edge commissioned from a bare sync file (the newest checkpoint, no proofs): it
        // never learned where the old bundle is anchored.
        let lean = Edge(ledger, name: "lean-edge")
        let newest = ledger.checkpointSizes.last!
        _ = try lean.sync(EdgeSyncFile(checkpoint: try ledger.log.checkpoint(size: newest), consistency: []))
        let stale = try lean.deploy(old.bundle)
        expectBlocked(stale, by: .checkpointConsistency)
        #expect(stale.check(.checkpointConsistency)?.detail.contains("never proven consistent") == true)
        let signed = try Data(contentsOf: URL(fileURLWithPath: old.bundle + "/model.sig"))
        try ledger.refresh(old)
        #expect(try Data(contentsOf: URL(fileURLWithPath: old.bundle + "/model.sig")) == signed, "refresh leaves the signed payload alone")
        expectLoads(try lean.deploy(old.bundle), "after bundle refresh")
    }

    /// An approved rollback change to an earlier version loads (its approval is later); the
    /// superseded bundles, older and newer version alike, are then replays and are refused.
    @Test func approvedRollbackLoadsAndSupersededApprovalsAreRefused() throws {
        let ledger = try ReleaseLedger()
        let edge = Edge(ledger)
        let v1 = try ledger.approve(version: "1.0.0", content: "good")
        try ledger.build(v1)
        expectLoads(try edge.deploy(v1.bundle))
        let v2 = try ledger.approve(version: "2.0.0", content: "bad on line 3")
        try ledger.build(v2)
        expectLoads(try edge.deploy(v2.bundle))

        // Replay of the superseded v1 approval (an unapproved downgrade): refused.
        let replay = try edge.deploy(v1.bundle)
        expectBlocked(replay, by: .rollback)
        #expect(replay.check(.rollback)?.detail.contains("superseded") == true)

        // Incident: process owner approves a rollback change to 1.0.0.
        let back = try ledger.approve(version: "1.0.0", content: "good", type: .rollback)
        try ledger.build(back)
        let rolled = try edge.deploy(back.bundle)
        expectLoads(rolled)
        #expect(rolled.check(.rollback)?.detail.contains("approved rollback") == true, "\(rolled.check(.rollback)!.detail)")
        #expect(try edge.state.lastAccepted(model: "defect-detector", zone: "line-3")?.version == "1.0.0")

        // v2 (a higher version, but an approval the rollback superseded) cannot come back.
        expectBlocked(try edge.deploy(v2.bundle), by: .rollback)
        // The order is per edge state: a new edge that never saw v2 or the rollback takes v1.
        expectLoads(try Edge(ledger, name: "new-edge").deploy(v1.bundle))
    }

    /// A downgrade nobody approved: the proof names the proposal, not a change.approved entry.
    @Test func anUnapprovedDowngradeIsRefused() throws {
        let ledger = try ReleaseLedger()
        let edge = Edge(ledger)
        let v2 = try ledger.approve(version: "2.0.0", content: "v2")
        try ledger.build(v2)
        expectLoads(try edge.deploy(v2.bundle))
        let v1 = try ledger.approve(version: "1.0.0", content: "v1", type: .rollback)
        try ledger.build(v1)
        let proposal = ledger.log.append(kind: EntryKind.changeProposed, actor: "dana", subject: "chg-9",
                                         payload: BundleFixture.approvalPayload(changeID: v1.changeID, digest: v1.statement.subjectDigest,
                                                                                version: "1.0.0", zones: ["line-3"], type: .rollback))
        ledger.activity(1)
        try ledger.log.proof(seq: proposal.seq, consistencyFrom: [ledger.log.entries.count - 1])
            .write(path: v1.bundle + "/model.approval.json")
        expectBlocked(try edge.deploy(v1.bundle), by: .approvalProof)
        #expect(try edge.state.lastAccepted(model: "defect-detector", zone: "line-3")?.version == "2.0.0")
    }

    /// A forked log (same key, another history after the edge's checkpoint) and a rolled-back
    /// log (an older checkpoint never proven to the edge) are refused, by verify-bundle and by
    /// edge sync; the state does not move.
    @Test func forkedAndRolledBackLogsAreRefused() throws {
        let ledger = try ReleaseLedger()
        let edge = Edge(ledger)
        let snapshot = ledger.log
        ledger.activity(3)
        let v1 = try ledger.approve(version: "1.0.0", content: "v1")
        try ledger.build(v1)
        expectLoads(try edge.deploy(v1.bundle))
        let before = try edge.state

        // The fork: same log key, a different history from the snapshot on.
        var fork = snapshot
        for i in 0..<8 { fork.append(kind: "note.added", actor: "mallory", subject: "", payload: .object(["fork": .number(Double(i))])) }
        let forked = try ledger.approve(version: "1.1.0", content: "v1.1")
        try ledger.build(forked)
        let e = fork.append(kind: EntryKind.changeApproved, actor: "system", subject: forked.changeID,
                            payload: BundleFixture.approvalPayload(changeID: forked.changeID, digest: forked.statement.subjectDigest,
                                                                   version: "1.1.0", zones: ["line-3"]))
        let lastSize = try #require(before.checkpoints.last?.size)
        #expect(fork.entries.count > lastSize)
        try fork.proof(seq: e.seq, consistencyFrom: [lastSize], withRoots: true).write(path: forked.bundle + "/model.approval.json")
        expectBlocked(try edge.deploy(forked.bundle), by: .checkpointConsistency)

        let forkSync = EdgeSyncFile(checkpoint: try fork.checkpoint(size: fork.entries.count),
                                    consistency: fork.consistencySteps(to: fork.entries.count, from: [lastSize]))
        #expect(throws: EdgeSync.Failure.self) { try edge.sync(forkSync) }

        // Rolled back: the log reverted to the snapshot and regrown, still smaller than what
        // the edge saw. Its checkpoint is either a size the edge knows with another root, or
        // an older one never proven to it.
        var rolled = snapshot
        for i in 0..<2 { rolled.append(kind: "note.added", actor: "mallory", subject: "", payload: .object(["again": .number(Double(i))])) }
        #expect(rolled.entries.count < lastSize)
        let rolledBack = EdgeSyncFile(checkpoint: try rolled.checkpoint(size: rolled.entries.count), consistency: [])
        do {
            _ = try edge.sync(rolledBack)
            Issue.record("a rolled-back checkpoint was accepted")
        } catch {
            #expect(error.description.contains("forked") || error.description.contains("never proven"), "\(error)")
        }
        #expect(try edge.state == before)
    }

    /// A sync file moves an air-gapped edge forward: later bundles anchored anywhere the
    /// file proved load; a sync file from another log is refused.
    @Test func syncFileCarriesANewerCheckpoint() throws {
        let ledger = try ReleaseLedger()
        let edge = Edge(ledger)
        let v1 = try ledger.approve(version: "1.0.0", content: "v1")
        try ledger.build(v1)
        expectLoads(try edge.deploy(v1.bundle))
        ledger.activity(20)
        let outcome = try edge.sync(try ledger.syncFile())
        #expect(outcome.after.size == ledger.checkpointSizes.last!)
        #expect(outcome.before?.size == ledger.checkpointSizes.first { $0 > v1.approvalSeq })
        // Applying it again is harmless.
        #expect(try edge.sync(try ledger.syncFile()).after == outcome.after)

        let v2 = try ledger.approve(version: "1.1.0", content: "v2")
        try ledger.build(v2)
        expectLoads(try edge.deploy(v2.bundle))

        let other = try FakeLog()
        let foreign = EdgeSyncFile(checkpoint: try other.checkpoint(size: 1), consistency: [])
        do {
            _ = try edge.sync(foreign)
            Issue.record("a checkpoint from another log was accepted")
        } catch {
            guard case .refused(.checkpointNotTrusted) = error else { Issue.record("\(error)"); return }
        }
    }

    /// A state written by an earlier release (format 1, no approval seqs) is read and
    /// upgraded; its release is judged by version once.
    @Test func formatOneStateIsUpgraded() throws {
        let ledger = try ReleaseLedger()
        let edge = Edge(ledger)
        let v1 = try ledger.approve(version: "1.0.0", content: "v1")
        try ledger.build(v1)
        let cp = try #require(ledger.checkpointSizes.first { $0 > v1.approvalSeq })
        let legacy = """
        {"version": 1, "lastCheckpoint": {"size": \(cp), "root": "\(ledger.log.root(size: cp).prefixed)"}, "checkpointHistory": [],
         "accepted": [{"model": "defect-detector", "zone": "line-3", "version": "0.9.0", "bundleDigest": "\(SHA256.hash("old").prefixed)",
                       "changeId": "chg-0", "acceptedAt": "2026-01-05T00:00:00.000Z"}]}
        """
        try FileManager.default.createDirectory(atPath: edge.store.directory, withIntermediateDirectories: true)
        try legacy.write(toFile: edge.store.stateFile, atomically: true, encoding: .utf8)
        #expect(try edge.state.lastAccepted(model: "defect-detector", zone: "line-3")?.approvalSeq == nil)
        let r = try edge.deploy(v1.bundle)
        expectLoads(r)
        #expect(r.check(.rollback)?.detail.contains("format 1") == true)
        let text = try String(contentsOfFile: edge.store.stateFile, encoding: .utf8)
        #expect(text.contains("\"version\": 2") || text.contains("\"version\":2"), "\(text)")
        #expect(try edge.state.lastAccepted(model: "defect-detector", zone: "line-3")?.approvalSeq == v1.approvalSeq)
    }

    /// Which sizes a proof covers: earlier approvals' checkpoints, the newest stored ones,
    /// and named sizes first; never the anchor itself or beyond; bounded.
    @Test func consistencyCandidatesCoverEarlierApprovals() {
        let sizes = ConsistencyCandidates.sizes(anchor: 50, approvalSeqs: [3, 10, 48, 60], checkpointSizes: Array(1...70), extra: [2, 99],
                                                fromApprovals: 2, fromRecent: 3, limit: 10)
        #expect(sizes == [49, 48, 47, 11, 2])
        #expect(ConsistencyCandidates.sizes(anchor: 50, approvalSeqs: [], checkpointSizes: Array(1...70), fromApprovals: 2,
                                            fromRecent: 30, limit: 4).count == 4)
        #expect(ConsistencyCandidates.approvalCheckpoint(seq: 10, checkpointSizes: [5, 12, 11]) == 11)
    }
}
