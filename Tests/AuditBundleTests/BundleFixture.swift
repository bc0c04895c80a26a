import AuditBundle
import AuditPolicy
import AuditRecords
import AuditCore
import AuditCrypto
import AuditTesting
import Foundation

/// A complete, valid bundle on disk: model files, `model.sig` signed once by the producer
/// (dana, the author, with her ledger identity), `model.approvers.dsse.json` signed by three
/// approvers (the shipped promote policy needs qa-reviewer, process-owner and ot-security),
/// and an approval proof from a `FakeLog`. Tests break one thing and check the verdict.
final class BundleFixture: @unchecked Sendable {
    struct Approver {
        let id: String
        let key: Ed25519PrivateKey
        let roles: [String]
    }

    static let policyPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Policies/approval.yaml").standardized.path

    let directory = TemporaryDirectory("bundle")
    var bundle: String { directory.file("model") }
    var stateDir: String { directory.file("state") }
    var log: FakeLog
    let approvers: [Approver]
    /// dana, the change's author: signs model.sig as the producer.
    let producer = Approver(id: "dana", key: .generate(), roles: ["author"])
    var trust: TrustRoot
    var statement: ModelStatement
    var approvalSeq: Int

    static let defaultFiles: [String: [UInt8]] = [
        "config.json": Array(#"{"threshold": 0.8}"#.utf8),
        "weights/layer0.bin": (0..<5000).map { UInt8($0 % 251) },
        "weights/layer1.bin": (0..<3000).map { UInt8(($0 * 7) % 253) },
        "a.txt": Array("tokenizer".utf8),
        "a/b": Array("nested".utf8),
    ]

    init(files: [String: [UInt8]] = BundleFixture.defaultFiles, version: String = "1.2.0",
         zones: [String] = ["line-3"], shardSize: Int? = nil, changeID: String = "chg-42") throws {
        for (name, bytes) in files {
            let path = directory.file("model/" + name)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        approvers = [
            Approver(id: "quinn", key: .generate(), roles: ["qa-reviewer"]),
            Approver(id: "pat", key: .generate(), roles: ["process-owner"]),
            Approver(id: "oscar", key: .generate(), roles: ["ot-security"]),
        ]
        log = try FakeLog()
        let policy = try String(contentsOfFile: Self.policyPath, encoding: .utf8)
        trust = TrustRoot(
            log: log.trustLog,
            signers: (approvers + [producer]).map {
                TrustRoot.Signer(id: $0.id, publicKey: $0.key.publicKey, roles: $0.roles,
                                 notBefore: UTCTime.parse("2026-01-01T00:00:00.000Z")!)
            },
            approvalPolicy: TrustRoot.Policy(digest: SHA256.hash(policy), document: policy))
        let release = ReleaseInfo(changeID: changeID, modelName: "defect-detector", modelVersion: version, zones: zones)
        statement = try BundleSigner.makeStatement(directory: directory.file("model"), release: release, shardSize: shardSize)
        log.append(kind: "note.added", actor: "dana", subject: "", payload: .object(["text": "unrelated"]))
        let approved = log.append(kind: EntryKind.changeApproved, actor: "system", subject: changeID,
                                  payload: Self.approvalPayload(changeID: changeID, digest: statement.subjectDigest,
                                                                version: version, zones: zones))
        approvalSeq = approved.seq
        try writeSignatures(approvers.map(\.key))
        try writeProof(try log.proof(seq: approvalSeq))
    }

    static func approvalPayload(changeID: String, digest: Digest, version: String, zones: [String],
                                model: String = "defect-detector", type: ChangeType = .promote) -> JSONValue {
        let content = ChangeRecordContent(changeID: changeID, changeType: type, model: model, modelVersion: version,
                                          reason: "retrained", authorID: "dana", artifactDigest: digest,
                                          targetZone: zones.first, previous: nil)
        return .object([
            "changeId": .string(changeID), "change": content.jsonValue, "changeDigest": .string(content.digest.prefixed),
            "proposedAt": "2026-03-01T09:00:00.000Z", "policyDigest": .string(SHA256.hash("policy").prefixed),
            "assignment": .array([]),
        ])
    }

    var signaturePath: String { bundle + "/model.sig" }
    var proofPath: String { bundle + "/model.approval.json" }
    var approversPath: String { bundle + "/model.approvers.dsse.json" }

    /// model.sig signed by `producer` (default: dana's identity), and the approvers' file
    /// signed by `keys` (none: no approvers' file).
    func writeSignatures(_ keys: [Ed25519PrivateKey], producer: ProducerKey? = nil) throws {
        let file = try BundleSigner.sign(statement, producer: producer ?? .ed25519(self.producer.key))
        try file.write(path: signaturePath)
        if keys.isEmpty {
            if FileManager.default.fileExists(atPath: approversPath) { try FileManager.default.removeItem(atPath: approversPath) }
        } else {
            try ApproverSignatures.write(BundleSigner.approve(file, existing: nil, keys: keys), path: approversPath)
        }
    }

    func writeProof(_ proof: ApprovalProof) throws { try proof.write(path: proofPath) }

    func verify(zone: String? = nil, state: EdgeState? = nil, minimumApprovals: Int = 1) throws -> VerificationResult {
        var options = VerifyOptions(zone: zone, state: state)
        // Fixture default: what the test leaves out is waived explicitly; the strict
        // defaults themselves are tested in StrictDefaultsTests.
        options.skipStateChecks = state == nil
        options.anyZone = zone == nil
        options.minimumApprovals = minimumApprovals
        return try Verifier(trust: trust).verify(bundleDirectory: bundle, options: options)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: bundle + "/" + name))
    }

    func read(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: bundle + "/" + name))) }
}
