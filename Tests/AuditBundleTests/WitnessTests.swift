import AuditBundle
import AuditCore
import AuditCrypto
import AuditTesting
import Foundation
import Testing

/// approval.witness (exit 31): with witnesses in the trust root, the approval's checkpoint, or
/// a later one the edge holds and is consistent with, must carry the quorum of valid
/// cosignatures from distinct trusted witnesses. Without witnesses nothing changes.
@Suite("Witness cosignatures")
struct WitnessTests {
    static let central = try! Cosigner(name: "central.example/witness", privateKey: .generate())
    static let second = try! Cosigner(name: "auditor.example/witness", privateKey: .generate())
    static var now: UInt64 { UInt64(Date().timeIntervalSince1970) }

    /// A fixture whose trust root requires `quorum` of `witnesses`.
    static func fixture(witnesses: [Cosigner] = [central], quorum: Int = 1) throws -> BundleFixture {
        let f = try BundleFixture()
        f.trust.witnesses = witnesses.map(\.key)
        f.trust.witnessQuorum = quorum
        return f
    }

    /// `note` with a cosignature line by each of `cosigners` appended.
    static func cosigned(_ note: String, by cosigners: [Cosigner], at time: UInt64 = now) throws -> String {
        let text = try Cosignature.split(note: note).text
        return try note + cosigners.map { try $0.cosign(checkpointText: text, timestamp: time) }.joined()
    }

    /// Rewrites the bundle's proof with its checkpoint note replaced by `transform(note)`.
    static func rewriteCheckpoint(_ f: BundleFixture, _ transform: (String) throws -> String) throws {
        let proof = try ApprovalProof.read(path: f.proofPath)
        try f.writeProof(proof.reanchored(treeSize: proof.treeSize, inclusionPath: proof.inclusionPath,
                                          checkpoint: try transform(proof.checkpoint), consistency: proof.consistency))
    }

    @Test func quorumMetMayLoad() throws {
        let f = try Self.fixture()
        try Self.rewriteCheckpoint(f) { try Self.cosigned($0, by: [Self.central]) }
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(r.exitCode == 0, "\(r.checks)")
        #expect(r.checks.map(\.id) == CheckID.allCases)
        let check = try #require(r.check(.approvalWitness))
        #expect(check.status == .passed)
        #expect(check.detail.contains("cosigned by central.example/witness (quorum 1)"))
        #expect(r.witnessedCheckpoint?.size == r.checkpoint?.size)
    }

    /// The attack of issue 12: the site's host shows the edge a checkpoint the central never
    /// cosigned (a split view, or a history rewritten after the last push).
    @Test func aCheckpointTheCentralNeverCosignedIsRefusedWithExit31() throws {
        let f = try Self.fixture()
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(!r.mayLoad)
        #expect(r.exitCode == 31)
        #expect(r.firstFailure?.id == .approvalWitness)
        #expect(r.check(.approvalWitness)?.detail.contains("carries 0 of the 1 required witness cosignature(s)") == true)
        #expect(r.witnessedCheckpoint == nil)
    }

    @Test func aForgedOrAlteredCosignatureIsAFailureNotIgnored() throws {
        let f = try Self.fixture()
        try Self.rewriteCheckpoint(f) { note in
            var cosigned = try Self.cosigned(note, by: [Self.central])
            let i = cosigned.index(cosigned.endIndex, offsetBy: -5)  // a signature byte, not the key hash
            cosigned.replaceSubrange(i...i, with: cosigned[i] == "A" ? "B" : "A")
            return cosigned
        }
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(r.exitCode == 31)
        #expect(r.check(.approvalWitness)?.detail.contains("does not verify") == true, "\(String(describing: r.check(.approvalWitness)))")
    }

    @Test func aCosignatureOfAnotherCheckpointDoesNotVerify() throws {
        let f = try Self.fixture()
        let other = try f.log.checkpoint(size: 2)
        let line = try Self.central.cosign(checkpointText: Cosignature.split(note: other).text, timestamp: Self.now)
        try Self.rewriteCheckpoint(f) { $0 + line }
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(r.exitCode == 31)
        #expect(r.check(.approvalWitness)?.detail.contains("does not verify") == true)
    }

    @Test func anUnknownWitnessDoesNotCount() throws {
        let f = try Self.fixture()
        let stranger = try Cosigner(name: "central.example/witness", privateKey: .generate())  // same name, other key
        try Self.rewriteCheckpoint(f) { try Self.cosigned($0, by: [stranger, Self.second]) }
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(r.exitCode == 31)
        #expect(r.check(.approvalWitness)?.detail.contains("carries 0 of the 1") == true)
    }

    @Test func aQuorumCountsDistinctTrustedWitnesses() throws {
        let f = try Self.fixture(witnesses: [Self.central, Self.second], quorum: 2)
        try Self.rewriteCheckpoint(f) { try Self.cosigned($0, by: [Self.central]) }
        #expect(try f.verify(zone: "line-3", state: EdgeState()).exitCode == 31)
        try Self.rewriteCheckpoint(f) { try Self.cosigned($0, by: [Self.second]) }  // now both
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(r.exitCode == 0, "\(r.checks)")
        #expect(r.check(.approvalWitness)?.findings == ["central.example/witness", "auditor.example/witness"])
    }

    @Test func oneWitnessWithTwoKeysCountsOnce() throws {
        let rotated = try Cosigner(name: Self.central.name, privateKey: .generate())
        let f = try Self.fixture(witnesses: [Self.central, rotated, Self.second], quorum: 2)
        try Self.rewriteCheckpoint(f) { try Self.cosigned($0, by: [Self.central, rotated]) }
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(r.exitCode == 31)
        #expect(r.check(.approvalWitness)?.detail.contains("carries 1 of the 2") == true)
    }

    @Test func aCosignatureDatedBeyondTheClockToleranceIsRefused() throws {
        let f = try Self.fixture()
        let original = try ApprovalProof.read(path: f.proofPath).checkpoint
        try Self.rewriteCheckpoint(f) { _ in try Self.cosigned(original, by: [Self.central], at: Self.now + 7_200) }
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(r.exitCode == 31)
        #expect(r.check(.approvalWitness)?.detail.contains("more than 300 s after this edge's clock") == true)
        // Within the policy's tolerance (300 s in Policies/approval.yaml) it counts.
        try Self.rewriteCheckpoint(f) { _ in try Self.cosigned(original, by: [Self.central], at: Self.now + 100) }
        #expect(try f.verify(zone: "line-3", state: EdgeState()).exitCode == 0)
    }

    /// Regression: without witnesses in the trust root, a bundle verifies exactly as before,
    /// whether or not its checkpoint carries cosignature lines.
    @Test func withoutWitnessesInTheTrustRootNothingChanges() throws {
        let f = try BundleFixture()
        let before = try f.verify(zone: "line-3", state: EdgeState())
        try Self.rewriteCheckpoint(f) { try Self.cosigned($0, by: [Self.central]) }
        let after = try f.verify(zone: "line-3", state: EdgeState())
        for r in [before, after] {
            #expect(r.exitCode == 0)
            #expect(r.checks.map(\.id) == CheckID.allCases.filter { $0 != .approvalWitness })
            #expect(r.witnessedCheckpoint == nil)
        }
        #expect(before.checks.map(\.detail) == after.checks.map(\.detail))
        #expect(before.jsonValue["checks"] == after.jsonValue["checks"])
    }

    /// An edge that took a later witnessed checkpoint (from a sync file) accepts a bundle
    /// anchored at an earlier checkpoint it has been proven consistent with.
    @Test func aLaterWitnessedCheckpointTheEdgeHoldsVouchesForAnEarlierOne() throws {
        let f = try Self.fixture()
        let anchor = f.log.entries.count
        f.log.append(kind: "note.added", actor: "dana", subject: "", payload: .object(["n": 1]))
        f.log.append(kind: "note.added", actor: "dana", subject: "", payload: .object(["n": 2]))
        let later = f.log.entries.count
        let store = EdgeStateStore(directory: f.stateDir)
        let sync = EdgeSyncFile(checkpoint: try Self.cosigned(f.log.checkpoint(size: later), by: [Self.central]),
                                consistency: f.log.consistencySteps(to: later, from: [anchor]))
        let outcome = try EdgeSync.apply(sync, trust: f.trust, store: store)
        #expect(outcome.witnessed == later)
        let state = try store.load()
        #expect(state.witnessed.map(\.size) == [later])

        let r = try f.verify(zone: "line-3", state: state)
        #expect(r.exitCode == 0, "\(r.checks)")
        #expect(r.check(.approvalWitness)?.detail.contains("is a prefix of size \(later)") == true)
        // Without the state the same bundle has nothing to show.
        #expect(try f.verify(zone: "line-3", state: nil).exitCode == 31)
    }

    @Test func anEarlierWitnessedCheckpointDoesNotVouchForALaterBundle() throws {
        let f = try Self.fixture()
        let first = f.log.entries.count
        let store = EdgeStateStore(directory: f.stateDir)
        _ = try EdgeSync.apply(EdgeSyncFile(checkpoint: try Self.cosigned(f.log.checkpoint(size: first), by: [Self.central]), consistency: []),
                               trust: f.trust, store: store)
        f.log.append(kind: "note.added", actor: "dana", subject: "", payload: .object(["n": 1]))
        try f.writeProof(try f.log.proof(seq: f.approvalSeq, consistencyFrom: [first]))
        let r = try f.verify(zone: "line-3", state: try store.load())
        #expect(r.check(.checkpointConsistency)?.status == .passed)
        #expect(r.exitCode == 31)
    }

    @Test func aMayLoadKeepsTheWitnessedCheckpointAndOnlyThenWritesStateFormat3() throws {
        let plain = try BundleFixture()
        let plainStore = EdgeStateStore(directory: plain.stateDir)
        try EdgeRecorder.record(try plain.verify(zone: "line-3", state: EdgeState()), bundle: plain.bundle, zone: "line-3", store: plainStore)
        #expect(try String(contentsOfFile: plainStore.stateFile, encoding: .utf8).contains("\"version\": 2"))

        let f = try Self.fixture()
        try Self.rewriteCheckpoint(f) { try Self.cosigned($0, by: [Self.central, Self.second]) }
        let store = EdgeStateStore(directory: f.stateDir)
        try EdgeRecorder.record(try f.verify(zone: "line-3", state: EdgeState()), bundle: f.bundle, zone: "line-3", store: store)
        let text = try String(contentsOfFile: store.stateFile, encoding: .utf8)
        #expect(text.contains("\"version\": 3"))
        let state = try store.load()
        let held = try #require(state.witnessed.first)
        // Only the log's signature and the trusted witness's cosignature are kept.
        #expect(held.note.contains(Self.central.name) && !held.note.contains(Self.second.name))
        #expect(state.checkpoints.known(size: held.size)?.root == held.root)
    }

    @Test func aSyncFileWithAnAlteredTrustedCosignatureIsRefusedAndChangesNothing() throws {
        let f = try Self.fixture()
        var note = try Self.cosigned(f.log.checkpoint(size: f.log.entries.count), by: [Self.central])
        let i = note.index(note.endIndex, offsetBy: -5)
        note.replaceSubrange(i...i, with: note[i] == "A" ? "B" : "A")
        let store = EdgeStateStore(directory: f.stateDir)
        #expect(throws: EdgeSync.Failure.self) { try EdgeSync.apply(EdgeSyncFile(checkpoint: note, consistency: []), trust: f.trust, store: store) }
        #expect(try store.load() == EdgeState())
    }

    @Test func edgeStateFormat3RoundTripsAndFormat2RefusesWitnessed() throws {
        let f = try Self.fixture()
        let size = f.log.entries.count
        var state = EdgeState()
        state.checkpoints.remember(.init(size: size, root: f.log.root(size: size)))
        state.rememberWitnessed(.init(size: size, root: f.log.root(size: size), note: try Self.cosigned(f.log.checkpoint(size: size), by: [Self.central])))
        let bytes = Array(state.jsonValue.prettyString().utf8)
        #expect(try EdgeState.parse(bytes, file: "state.json") == state)
        let downgraded = state.jsonValue.prettyString().replacingOccurrences(of: "\"version\": 3", with: "\"version\": 2")
        #expect(throws: BundleInputError.self) { try EdgeState.parse(Array(downgraded.utf8), file: "state.json") }
    }

    /// The fuzz seeds were made with PyNaCl: a trust root naming a witness, and an edge state
    /// holding a checkpoint it cosigned. They parse, and the cosignature verifies here.
    @Test func cosignaturesMadeElsewhereVerify() throws {
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fuzz").standardized.path
        let trust = try TrustRoot.read(path: seeds + "/trust-root/witnesses.json")
        #expect(trust.witnessQuorum == 1 && trust.witnesses.count == 1)
        let state = try EdgeState.parse(Array(try Data(contentsOf: URL(fileURLWithPath: seeds + "/edge-state/witnessed.json"))),
                                        file: "witnessed.json")
        let held = try #require(state.witnessed.first)
        let found = try WitnessCosignatures.verified(note: held.note, witnesses: trust.witnesses,
                                                     now: Date(timeIntervalSince1970: 1_780_000_000), tolerance: 0)
        #expect(found.map(\.key) == trust.witnesses)
        #expect(found.first?.timestamp == 1_780_000_000)
    }
}
