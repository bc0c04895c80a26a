import AuditCore
@testable import AuditCrypto
import AuditTesting
import Foundation
import Testing

@Suite struct CosignatureTests {
    let checkpoint = "plant-a.example/ledger\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"

    func witness(_ name: String = "central.example/witness") throws -> Cosigner {
        try Cosigner(name: name, privateKey: Ed25519PrivateKey(seed: [UInt8](repeating: 7, count: 32)))
    }

    @Test func signsAndVerifiesAndKeyStringsRoundTrip() throws {
        let w = try witness()
        let line = try w.cosign(checkpointText: checkpoint, timestamp: 1_796_000_000)
        let verified = try Cosignature.verify(checkpointText: checkpoint, signatureLines: line, witnesses: [w.key])
        #expect(verified.count == 1)
        #expect(verified.first?.timestamp == 1_796_000_000)
        #expect(try CosignerKey.parse(w.key.encoded) == w.key)
        #expect(try Cosigner.parse(w.encoded).key == w.key)
    }

    @Test func cosignerKeyHashUsesTypeFourNotTheLogKeysTypeOne() throws {
        let w = try witness()
        let logKey = try NoteVerifierKey(name: w.name, publicKey: w.privateKey.publicKey)
        #expect(logKey.keyHash != w.key.keyHash)
        #expect(throws: SignedNoteError.self) { try CosignerKey.parse(logKey.encoded) }
        #expect(throws: SignedNoteError.self) { try NoteVerifierKey.parse(w.key.encoded) }
    }

    @Test func everyAlteredByteOfTheCheckpointOrSignatureFails() throws {
        let w = try witness()
        let line = try w.cosign(checkpointText: checkpoint, timestamp: 5)
        let other = checkpoint.replacingOccurrences(of: "\n42\n", with: "\n43\n")
        #expect(throws: SignedNoteError.invalidSignature(name: w.name, keyHash: w.key.keyHash)) {
            try Cosignature.verify(checkpointText: other, signatureLines: line, witnesses: [w.key])
        }
        // A different timestamp inside the signature is a different message.
        let payload = Base64.decode(String(line.dropFirst("— \(w.name) ".count).dropLast()))!
        for i in 4..<payload.count {
            var changed = payload
            changed[i] ^= 1
            let forged = "— \(w.name) \(Base64.encode(changed))\n"
            #expect(throws: SignedNoteError.self) {
                try Cosignature.verify(checkpointText: checkpoint, signatureLines: forged, witnesses: [w.key])
            }
        }
    }

    @Test func unknownWitnessesAreIgnoredAndDuplicatesCountOnce() throws {
        let w = try witness()
        let stranger = try Cosigner(name: "stranger.example/w", privateKey: .generate())
        let lines = try w.cosign(checkpointText: checkpoint, timestamp: 1) + stranger.cosign(checkpointText: checkpoint, timestamp: 2)
            + w.cosign(checkpointText: checkpoint, timestamp: 3)
        let verified = try Cosignature.verify(checkpointText: checkpoint, signatureLines: lines, witnesses: [w.key])
        #expect(verified.map(\.key) == [w.key])
        #expect(try Cosignature.verify(checkpointText: checkpoint, signatureLines: lines, witnesses: []).isEmpty)
    }

    @Test func splitsANoteIntoBodyAndSignatures() throws {
        let (text, signatures) = try Cosignature.split(note: checkpoint + "\n— a AAAA\n— b BBBB\n")
        #expect(text == checkpoint)
        #expect(signatures == "— a AAAA\n— b BBBB\n")
    }

    /// PyNaCl (libsodium's Python binding, an independent caller) checks our message layout:
    /// `cosignature/v1\ntime <t>\n` + body, key hash over name ‖ 0x0A ‖ 0x04 ‖ key.
    @Test func anIndependentVerifierAcceptsOurCosignature() throws {
        let w = try witness()
        let line = try w.cosign(checkpointText: checkpoint, timestamp: 1_700_000_123)
        let script = """
        import sys, base64, hashlib, struct, nacl.signing
        name, pub, body, line = sys.argv[1], base64.b64decode(sys.argv[2]), sys.argv[3], sys.argv[4]
        raw = base64.b64decode(line.split(' ')[2])
        assert raw[:4] == hashlib.sha256(name.encode() + b'\\n\\x04' + pub).digest()[:4], 'key hash'
        ts = struct.unpack('>Q', raw[4:12])[0]
        msg = b'cosignature/v1\\ntime %d\\n' % ts + body.encode()
        nacl.signing.VerifyKey(pub).verify(msg, raw[12:])
        print(ts)
        """
        let result = try CommandRunner.run("/usr/bin/env", ["python3", "-c", script, w.name, w.privateKey.publicKey.base64,
                                                            checkpoint, String(line.dropLast())])
        #expect(result.status == 0, "PyNaCl rejected the cosignature (needs python3 + PyNaCl; make deps installs them): \(result.stderr)")
        #expect(result.stdout == "1700000123\n")
    }
}
