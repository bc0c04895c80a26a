import AuditBundle
import AuditCore
import Foundation
import Testing

/// Hostile or broken input gives a clear, located error or a failed check: never a crash,
/// never "may load".
@Suite("Bad input")
struct BadInputTests {
    @Test func aPlainFileIsNotABundle() throws {
        let f = try BundleFixture()
        #expect(throws: BundleInputError.notADirectory(path: f.signaturePath)) {
            try Verifier(trust: f.trust).verify(bundleDirectory: f.signaturePath)
        }
        #expect(throws: BundleInputError.notADirectory(path: f.bundle + "/nope")) {
            try Verifier(trust: f.trust).verify(bundleDirectory: f.bundle + "/nope")
        }
    }

    static let garbage: [(String, [UInt8])] = [
        ("empty", []),
        ("not JSON", Array("hello".utf8)),
        ("array", Array("[]".utf8)),
        ("bad base64 payload", Array(#"{"payloadType":"application/vnd.in-toto+json","payload":"@@@","signatures":[{"keyid":"","sig":"AAAA"}]}"#.utf8)),
        ("non-canonical base64", Array(#"{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[{"keyid":"","sig":"AAB="}]}"#.utf8)),
        ("no signatures", Array(#"{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}"#.utf8)),
        ("payload not a statement", Array(#"{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[{"keyid":"","sig":"AAAA"}]}"#.utf8)),
        ("wrong payload type", Array(#"{"payloadType":"text/plain","payload":"e30=","signatures":[{"keyid":"","sig":"AAAA"}]}"#.utf8)),
        ("unknown sigstore field", Array(#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","dsseEnvelope":{},"extra":1}"#.utf8)),
        ("deeply nested", Array((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8)),
    ]

    @Test(arguments: 0..<garbage.count)
    func garbageSignatureFilesFailTheEnvelopeCheck(_ index: Int) throws {
        let f = try BundleFixture()
        try f.write("model.sig", Self.garbage[index].1)
        let result = try f.verify()
        #expect(result.firstFailure?.id == .envelope, "\(Self.garbage[index].0): \(result.checks[0])")
        #expect(result.checks.dropFirst().allSatisfy { $0.status == .skipped })
    }

    @Test func everyTruncationOfTheSignatureFileIsRefused() throws {
        let f = try BundleFixture()
        let bytes = try f.read("model.sig")
        for length in stride(from: 0, to: bytes.count - 1, by: max(1, bytes.count / 200)) {
            try f.write("model.sig", Array(bytes.prefix(length)))
            #expect(try !f.verify().mayLoad, "truncated to \(length)")
        }
    }

    @Test func aMissingApprovalProofBlocksWithItsReason() throws {
        let f = try BundleFixture()
        try FileManager.default.removeItem(atPath: f.proofPath)
        let result = try f.verify()
        #expect(result.firstFailure?.id == .approvalProof)
        #expect(result.firstFailure?.detail.contains("model.approval.json") == true)
    }

    @Test func aGarbledApprovalProofIsRefused() throws {
        let f = try BundleFixture()
        var proof = try f.read("model.approval.json")
        for i in stride(from: 0, to: proof.count, by: 7) {
            let original = proof[i]
            proof[i] ^= 0x01
            try f.write("model.approval.json", proof)
            let result = try f.verify()
            // A flip in JSON whitespace-free data always changes meaning or breaks the syntax,
            // except inside the checkpoint signature's unused padding bits (caught as base64).
            #expect(!result.mayLoad, "byte \(i)")
            proof[i] = original
        }
    }

    /// More resources than the limit: refused as too large before any hashing.
    @Test func aHugeManifestIsRefused() throws {
        let f = try BundleFixture()
        let resource = #"{"name":"f","algorithm":"sha256","digest":"\#(String(repeating: "0", count: 64))"}"#
        let many = Array(repeating: resource, count: Limits.maxBundleResources + 1).joined(separator: ",")
        let statement = #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"m","digest":{"sha256":"\#(String(repeating: "0", count: 64))"}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{"serialization":{"method":"files","hash_type":"sha256","allow_symlinks":false},"resources":[\#(many)]}}"#
        #expect(throws: BundleInputError.self) { try ModelStatement.parse(Array(statement.utf8), file: "huge") }
        let envelope = DSSEEnvelope(payloadType: DSSEEnvelope.inTotoPayloadType, payload: Array(statement.utf8),
                                    signatures: [DSSESignature(keyID: "", signature: [1])])
        try SignatureFile(envelope: envelope).write(path: f.signaturePath)
        let result = try f.verify()
        #expect(result.firstFailure?.id == .envelope)
    }

    @Test func tooDeepDirectoriesAreRefused() throws {
        let f = try BundleFixture()
        let deep = f.bundle + "/" + Array(repeating: "d", count: Limits.maxBundleDirectoryDepth + 2).joined(separator: "/")
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
        #expect(throws: BundleInputError.self) { try f.verify() }
        do { _ = try f.verify() } catch let e as BundleInputError {
            guard case .tooDeep = e else { Issue.record("expected tooDeep, got \(e)"); return }
        }
    }

    @Test func manifestNamesThatTraverseFailTheLayoutCheck() throws {
        let f = try BundleFixture()
        let evil = ModelManifest(serialization: f.statement.manifest.serialization,
                                 resources: f.statement.manifest.resources + [ManifestResource(name: "../../etc/passwd", digest: .zero)])
        f.statement = ModelStatement(subjectName: "m", manifest: evil, release: f.statement.release)
        try f.writeSignatures(f.approvers.map(\.key))
        let result = try f.verify()
        #expect(result.check(.layout)?.status == .failed)
        #expect(result.check(.layout)?.findings.contains { $0.contains("../../etc/passwd") } == true)
    }

    @Test func symlinkInsideTheBundleOnlyWithAllowSymlinksAndNeverOutside() throws {
        let f = try BundleFixture()
        try FileManager.default.createSymbolicLink(atPath: f.bundle + "/alias.txt", withDestinationPath: "a.txt")
        try FileManager.default.createSymbolicLink(atPath: f.bundle + "/escape", withDestinationPath: "/etc/hostname")
        var serialization = f.statement.manifest.serialization
        serialization.allowSymlinks = true
        let tree = try BundleWalker.walk(root: f.bundle, serialization: serialization)
        #expect(tree.files.contains { $0.path.string == "alias.txt" && $0.viaSymlink })
        #expect(tree.problems == [.symlinkLeavesBundle(path: "escape", target: "/etc/hostname")])
        serialization.allowSymlinks = false
        #expect(try BundleWalker.walk(root: f.bundle, serialization: serialization).problems.count == 2)
    }

    @Test func malformedTrustRootsAreLocated() {
        for (text, field) in [("{}", "version"), (#"{"version":2}"#, "version"),
                              (#"{"version":1,"log":{"origin":"o","verifierKey":"nope"},"signers":[],"approvalPolicy":{"digest":"x"}}"#, "log.verifierKey")] {
            do {
                _ = try TrustRoot.parse(Array(text.utf8), file: "trust.json")
                Issue.record("accepted \(text)")
            } catch {
                guard case .malformed(_, let f, _) = error else { Issue.record("\(error)"); continue }
                #expect(f == field)
            }
        }
    }
}
