import AuditBundle
import AuditCore
import AuditCrypto
import Foundation
import Testing

/// Each case breaks one thing in an otherwise valid bundle; the verdict must be "blocked"
/// with the first failed check (and so the exit code) that names that thing.
@Suite("Tamper matrix")
struct TamperMatrixTests {
    enum Tamper: String, CaseIterable, CustomTestStringConvertible {
        case byteChangedInFile, fileAdded, fileRemoved, fileRenamed, symlinkSwappedIn, fifoAdded
        case payloadAltered, signatureRemoved, unknownSigner, revokedSigner, roleMismatch
        case unapprovedChange, proofFromAnotherLog, checkpointDoesNotExtendLastSeen, forkedCheckpoint
        case recordedDigestDiffers, supersededApproval, sameApprovalOtherContent, legacyStateOlderVersion
        case zoneNotApproved, topologyUnusable
        var testDescription: String { rawValue }
    }

    static func expected(_ t: Tamper) -> CheckID {
        switch t {
        case .byteChangedInFile: return .fileDigests
        case .fileAdded, .fileRemoved, .fileRenamed: return .fileSet
        case .symlinkSwappedIn, .fifoAdded: return .layout
        case .payloadAltered, .unknownSigner, .revokedSigner: return .signatures
        case .signatureRemoved, .roleMismatch: return .roles
        case .unapprovedChange, .proofFromAnotherLog: return .approvalProof
        case .checkpointDoesNotExtendLastSeen, .forkedCheckpoint: return .checkpointConsistency
        case .recordedDigestDiffers: return .recordedDigest
        case .supersededApproval, .sameApprovalOtherContent, .legacyStateOlderVersion: return .rollback
        case .zoneNotApproved, .topologyUnusable: return .zone
        }
    }

    @Test(arguments: Tamper.allCases)
    func tamperedBundleIsBlockedWithItsOwnReason(_ tamper: Tamper) throws {
        let f = try BundleFixture()
        var state = EdgeState()
        var options = VerifyOptions(zone: "line-3", state: state)
        let fm = FileManager.default
        switch tamper {
        case .byteChangedInFile:
            var b = try f.read("weights/layer1.bin"); b[1234] ^= 0x40; try f.write("weights/layer1.bin", b)
        case .fileAdded:
            try f.write("weights/extra.bin", [1, 2, 3])
        case .fileRemoved:
            try fm.removeItem(atPath: f.bundle + "/config.json")
        case .fileRenamed:
            try fm.moveItem(atPath: f.bundle + "/a.txt", toPath: f.bundle + "/b.txt")
        case .symlinkSwappedIn:
            try fm.removeItem(atPath: f.bundle + "/config.json")
            try fm.createSymbolicLink(atPath: f.bundle + "/config.json", withDestinationPath: "/etc/hostname")
        case .fifoAdded:
            #expect(mkfifo(f.bundle + "/pipe", 0o600) == 0)
        case .payloadAltered:
            let file = try SignatureFile.read(path: f.signaturePath)
            var payload = file.envelope.payload
            let i = try #require(payload.firstIndex(of: UInt8(ascii: "2")))
            payload[i] = UInt8(ascii: "3")
            try SignatureFile(envelope: DSSEEnvelope(payloadType: file.envelope.payloadType, payload: payload,
                                                     signatures: file.envelope.signatures)).write(path: f.signaturePath)
        case .signatureRemoved:
            try f.writeSignatures([f.approvers[0].key, f.approvers[1].key])
        case .unknownSigner:
            try f.writeSignatures(f.approvers.map(\.key) + [Ed25519PrivateKey.generate()])
        case .revokedSigner:
            let s = f.trust.signers[1]
            f.trust.signers[1] = TrustRoot.Signer(id: s.id, publicKey: s.publicKey, roles: s.roles, notBefore: s.notBefore,
                                                  revokedAt: UTCTime.parse("2026-02-01T00:00:00.000Z"))
        case .roleMismatch:
            let s = f.trust.signers[1]
            f.trust.signers[1] = TrustRoot.Signer(id: s.id, publicKey: s.publicKey, roles: ["qa-reviewer"], notBefore: s.notBefore)
        case .unapprovedChange:
            let proposed = f.log.append(kind: EntryKind.changeProposed, actor: "dana", subject: "chg-42",
                                        payload: BundleFixture.approvalPayload(changeID: "chg-42", digest: f.statement.subjectDigest,
                                                                               version: "1.2.0", zones: ["line-3"]))
            try f.writeProof(try f.log.proof(seq: proposed.seq))
        case .proofFromAnotherLog:
            var other = try FakeLog(origin: "factory.example/ledger")
            let e = other.append(kind: EntryKind.changeApproved, actor: "system", subject: "chg-42",
                                 payload: BundleFixture.approvalPayload(changeID: "chg-42", digest: f.statement.subjectDigest,
                                                                        version: "1.2.0", zones: ["line-3"]))
            try f.writeProof(try other.proof(seq: e.seq))
        case .checkpointDoesNotExtendLastSeen:
            // The edge saw a bigger tree that this bundle's checkpoint cannot be related to.
            state.checkpoints.remember(.init(size: f.log.entries.count + 5, root: SHA256.hash("elsewhere")))
        case .forkedCheckpoint:
            state.checkpoints.remember(.init(size: f.log.entries.count, root: SHA256.hash("fork")))
        case .recordedDigestDiffers:
            let e = f.log.append(kind: EntryKind.changeApproved, actor: "system", subject: "chg-42",
                                 payload: BundleFixture.approvalPayload(changeID: "chg-42", digest: SHA256.hash("other bundle"),
                                                                        version: "1.2.0", zones: ["line-3"]))
            try f.writeProof(try f.log.proof(seq: e.seq))
        case .supersededApproval:
            // The edge already runs a release whose approval is later in the ledger (a lower
            // version, even: order decides, not version strings).
            state.accept(.init(model: "defect-detector", zone: "line-3", version: "1.0.0", bundleDigest: SHA256.hash("x"),
                               changeID: "chg-43", approvalSeq: f.approvalSeq + 5, acceptedAt: "2026-02-01T00:00:00.000Z"))
        case .sameApprovalOtherContent:
            state.accept(.init(model: "defect-detector", zone: "line-3", version: "1.2.0", bundleDigest: SHA256.hash("x"),
                               changeID: "chg-42", approvalSeq: f.approvalSeq, acceptedAt: "2026-02-01T00:00:00.000Z"))
        case .legacyStateOlderVersion:
            // A format 1 state kept no approval seq: judged by version, and this is no rollback change.
            state.accept(.init(model: "defect-detector", zone: "line-3", version: "1.10.0", bundleDigest: SHA256.hash("x"),
                               changeID: "chg-41", approvalSeq: nil, acceptedAt: "2026-02-01T00:00:00.000Z"))
        case .zoneNotApproved:
            options.zone = "line-9"
        case .topologyUnusable:
            options.topologyFile = "/nonexistent/topology.yaml"
        }
        options.state = state
        let result = try Verifier(trust: f.trust).verify(bundleDirectory: f.bundle, options: options)
        let expected = Self.expected(tamper)
        #expect(!result.mayLoad)
        #expect(result.firstFailure?.id == expected, "\(result.checks.filter { $0.status == .failed })")
        #expect(result.exitCode == expected.exitCode)
        #expect(result.firstFailure?.detail.isEmpty == false)
    }

    /// A checkpoint that does extend the last one seen is accepted with a consistency proof,
    /// and refused without one.
    @Test func newerCheckpointNeedsAConsistencyProofFromTheLastSeen() throws {
        let f = try BundleFixture()
        let seenSize = f.log.entries.count - 1
        var state = EdgeState()
        state.checkpoints.remember(.init(size: seenSize, root: f.log.root(size: seenSize)))
        #expect(try f.verify(state: state).check(.checkpointConsistency)?.status == .failed)
        try f.writeProof(try f.log.proof(seq: f.approvalSeq, consistencyFrom: [seenSize]))
        let result = try f.verify(state: state)
        #expect(result.check(.checkpointConsistency)?.status == .passed, "\(result.checks)")
        #expect(result.mayLoad)
    }
}
