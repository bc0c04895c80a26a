import AuditBundle
import AuditCore
import AuditCrypto
import AuditTesting
import Foundation
import Testing

/// Interoperability with the real OpenSSF tool (PyPI model-signing 1.1.1 + pyOpenSSL) and an
/// independent DSSE implementation (PyPI securesystemslib). Needs those in the Python found
/// as $AUDITCTL_PYTHON or `python3`; missing packages fail the tests, they are not skipped.
@Suite("Interop with model-signing and securesystemslib", .serialized)
struct InteropTests {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Interop").path
    static var python: String { ProcessInfo.processInfo.environment["AUDITCTL_PYTHON"] ?? "python3" }

    static func run(_ args: [String]) throws -> CommandResult {
        try CommandRunner.run("/usr/bin/env", args)
    }

    static func modelSigning(_ args: [String]) throws -> CommandResult {
        try run([python, "-m", "model_signing"] + args)
    }

    /// A P-256 key pair made by the openssl CLI.
    static func ecKey(in dir: TemporaryDirectory) throws -> (priv: String, pub: String) {
        let priv = dir.file("k.pem"), pub = dir.file("pub.pem")
        let gen = try run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", priv])
        #expect(gen.status == 0, "\(gen)")
        let exp = try run(["openssl", "ec", "-in", priv, "-pubout", "-out", pub])
        #expect(exp.status == 0, "\(exp)")
        return (priv, pub)
    }

    static func producerTrust(_ fixture: BundleFixture, pub: String) throws -> TrustRoot {
        var trust = fixture.trust
        trust.producers = [try TrustRoot.Producer(name: "openssf-producer", pem: String(contentsOfFile: pub, encoding: .utf8))]
        return trust
    }

    @Test(arguments: [false, true])
    func weVerifyWhatModelSigningSigns(sharded: Bool) throws {
        let f = try BundleFixture(files: BundleFixture.defaultFiles.merging(
            ["big.bin": (0..<(2 * 1024 * 1024 + 3)).map { UInt8(truncatingIfNeeded: $0 &* 13) }]) { a, _ in a })
        for path in [f.signaturePath, f.proofPath, f.approversPath] { try FileManager.default.removeItem(atPath: path) }
        let keys = try Self.ecKey(in: f.directory)
        let signed = sharded
            ? try Self.run([Self.python, Self.scripts + "/ms_sign_shards.py", f.bundle, keys.priv, String(1024 * 1024)])
            : try Self.modelSigning(["sign", "key", "--private_key", keys.priv, "--signature", f.signaturePath, f.bundle])
        try #require(signed.status == 0, "model-signing failed (pip install model-signing==1.1.1 pyOpenSSL): \(signed)")

        var options = VerifyOptions()
        options.minimumApprovals = 0
        let verifier = Verifier(trust: try Self.producerTrust(f, pub: keys.pub))
        let result = try verifier.verify(bundleDirectory: f.bundle, options: options)
        for id in [CheckID.envelope, .fileDigests, .fileSet, .layout, .signatures] {
            #expect(result.check(id)?.status == .passed, "\(id): \(result.check(id)!)")
        }
        #expect(result.signatures.map(\.kind) == [.producer])
        #expect(result.signatures.first?.signer == "openssf-producer")
        // Producer signatures alone never make a bundle loadable: approvals are required.
        #expect(!result.mayLoad)
        if sharded { #expect(result.statement?.manifest.serialization.method == .shards(size: 1024 * 1024)) }

        // Without the producer key, the same signature is an unknown signer.
        #expect(try Verifier(trust: f.trust).verify(bundleDirectory: f.bundle, options: options).check(.signatures)?.status == .failed)

        var bytes = try f.read("big.bin")
        bytes[bytes.count - 1] ^= 1
        try f.write("big.bin", bytes)
        #expect(try verifier.verify(bundleDirectory: f.bundle, options: options).firstFailure?.id == .fileDigests)
    }

    /// model-signing's own manifest code accepts our statement and hashes our directory to
    /// the same manifest, for both serializations: the layout is theirs.
    @Test(arguments: [nil, 1024 * 1024] as [Int?])
    func modelSigningAgreesWithOurManifest(shardSize: Int?) throws {
        let f = try BundleFixture(files: BundleFixture.defaultFiles.merging(
            ["big.bin": (0..<(3 * 1024 * 1024 + 1)).map { UInt8(truncatingIfNeeded: $0 &* 7) }]) { a, _ in a },
                                  shardSize: shardSize)
        let check = try Self.run([Self.python, Self.scripts + "/ms_check_layout.py", f.bundle])
        #expect(check.status == 0, "\(check)")
        try f.write("a.txt", Array("changed".utf8))
        #expect(try Self.run([Self.python, Self.scripts + "/ms_check_layout.py", f.bundle]).status != 0)
    }

    /// An approvers' envelope made by securesystemslib over our payload, with its own keyid
    /// (not our fingerprint: DSSE's keyid is an unauthenticated hint), is accepted as an
    /// approver signature: the key is found by trying the trusted keys. Every one-byte
    /// alteration outside that hint is refused; inside it, the signature still verifies.
    @Test func securesystemslibEnvelopeWithItsOwnKeyIDVerifiesAndEveryByteFlipIsRefused() throws {
        let f = try BundleFixture()
        let payloadFile = f.directory.file("payload.json")
        try Data(f.statement.canonicalPayload()).write(to: URL(fileURLWithPath: payloadFile))
        let out = f.directory.file("sslib.sig")
        let signed = try Self.run([Self.python, Self.scripts + "/sslib_sign.py", payloadFile, out])
        try #require(signed.status == 0, "securesystemslib failed (pip install securesystemslib): \(signed)")
        let raw = try #require(Hex.decode(signed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let key = try Ed25519PublicKey(rawBytes: raw)
        f.trust.signers.append(TrustRoot.Signer(id: "sslib", publicKey: key, roles: ["qa-reviewer"],
                                                notBefore: UTCTime.parse("2026-01-01T00:00:00.000Z")!))
        let envelope = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
        let keyID = try #require(try JSONValue.parse(envelope)["signatures"]?[0]?["keyid"]?.stringValue)
        #expect(!keyID.isEmpty && Digest(prefixed: keyID) == nil, "securesystemslib's own keyid, not our form: \(keyID)")
        try f.write("model.approvers.dsse.json", envelope)

        let result = try f.verify()
        #expect(result.check(.signatures)?.status == .passed, "\(result.check(.signatures)!)")
        #expect(result.signatures.filter { $0.kind == .approver }.map(\.signer) == ["sslib"])

        let text = String(decoding: envelope, as: UTF8.self)
        let hint = try #require(text.range(of: keyID))
        let hintBytes = hint.lowerBound.utf16Offset(in: text)..<hint.upperBound.utf16Offset(in: text)
        for i in envelope.indices {
            var altered = envelope
            altered[i] ^= 0x01
            try f.write("model.approvers.dsse.json", altered)
            let passed = try f.verify().check(.signatures)?.status == .passed
            if hintBytes.contains(i) {
                #expect(passed, "a changed keyid hint at byte \(i) must not matter")
            } else {
                #expect(!passed, "flip at byte \(i) ('\(Character(UnicodeScalar(envelope[i])))') accepted")
            }
        }
    }

    /// sigstore-python reads our model.sig with its own bundle model and DSSE envelope class
    /// (which refuses anything but exactly one signature), for both producer kinds; the
    /// multi-signature model.sig of earlier releases is what it refused.
    @Test func sigstorePythonParsesModelSigWithOneSignature() throws {
        let f = try BundleFixture()
        let parsed = try Self.run([Self.python, Self.scripts + "/sigstore_parse.py", f.signaturePath])
        #expect(parsed.status == 0, "pip install sigstore: \(parsed)")
        #expect(parsed.stdout.contains("ok one signature"))

        var legacy = try SignatureFile.read(path: f.signaturePath)
        legacy.envelope.signatures.append(DSSESignature(keyID: "sha256:" + String(repeating: "0", count: 64), signature: Array(repeating: 1, count: 64)))
        try legacy.write(path: f.directory.file("legacy.sig"))
        let refused = try Self.run([Self.python, Self.scripts + "/sigstore_parse.py", f.directory.file("legacy.sig")])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("exactly one signature"), "\(refused)")
    }

    /// A bundle whose producer signs with a P-256 key: model_signing's own `verify key`
    /// checks model.sig and the files (our metadata files are in the signed ignore_paths),
    /// sigstore-python verifies the DSSE signature, and verify-bundle lets it load.
    @Test func modelSigningVerifiesTheP256ProducerSignature() throws {
        let f = try BundleFixture()
        let keys = try Self.ecKey(in: f.directory)
        let producer = try ECDSAP256PrivateKey(pem: String(contentsOfFile: keys.priv, encoding: .utf8))
        try f.writeSignatures(f.approvers.map(\.key), producer: .p256(producer))
        f.trust = try Self.producerTrust(f, pub: keys.pub)

        let result = try f.verify(zone: "line-3", state: EdgeState())
        #expect(result.mayLoad, "\(result.checks.filter { $0.status != .passed })")
        #expect(result.signatures.filter { $0.kind == .producer }.map(\.signer) == ["openssf-producer"])

        let verified = try Self.modelSigning(["verify", "key", "--signature", f.signaturePath, "--public_key", keys.pub, f.bundle])
        #expect(verified.status == 0, "\(verified)")
        let sigstore = try Self.run([Self.python, Self.scripts + "/sigstore_parse.py", f.signaturePath, keys.pub])
        #expect(sigstore.status == 0 && sigstore.stdout.contains("verified"), "\(sigstore)")

        var bytes = try f.read("config.json")
        bytes[0] ^= 1
        try f.write("config.json", bytes)
        #expect(try Self.modelSigning(["verify", "key", "--signature", f.signaturePath, "--public_key", keys.pub, f.bundle]).status != 0)
    }

    /// Every one-byte alteration of model-signing's own `model.sig` inside its DSSE envelope
    /// (payload, signature, type, field names) is refused.
    @Test func everyByteFlipInAModelSigningEnvelopeIsRefused() throws {
        let f = try BundleFixture(files: ["w.bin": Array("weights".utf8)])
        try FileManager.default.removeItem(atPath: f.signaturePath)
        try FileManager.default.removeItem(atPath: f.approversPath)
        let keys = try Self.ecKey(in: f.directory)
        let signed = try Self.modelSigning(["sign", "key", "--private_key", keys.priv, "--signature", f.signaturePath, f.bundle])
        try #require(signed.status == 0, "\(signed)")
        let trust = try Self.producerTrust(f, pub: keys.pub)
        var options = VerifyOptions()
        options.minimumApprovals = 0
        let original = try f.read("model.sig")
        let text = String(decoding: original, as: UTF8.self)
        let envelopeStart = try #require(text.range(of: "\"dsseEnvelope\"")).lowerBound.utf16Offset(in: text)
        for i in envelopeStart..<original.count {
            var altered = original
            altered[i] ^= 0x01
            try f.write("model.sig", altered)
            let r = try Verifier(trust: trust).verify(bundleDirectory: f.bundle, options: options)
            #expect(r.check(.envelope)?.status == .failed || r.check(.signatures)?.status == .failed, "flip at \(i) accepted")
        }
        try f.write("model.sig", original)
        #expect(try Verifier(trust: trust).verify(bundleDirectory: f.bundle, options: options).check(.signatures)?.status == .passed)
    }
}
