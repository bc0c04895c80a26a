import AuditCore
import AuditCrypto
import AuditTesting
import Foundation
import Testing

/// Keys and signatures made by the `openssl` CLI at test time, so our libcrypto-based
/// verifier is checked against an independent producer, not against itself.
@Suite struct ECDSAP256Tests {
    /// A scratch directory with a fresh key pair, a message and its signature.
    struct Fixture {
        let dir: URL
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        func read(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: dir.appendingPathComponent(name))) }
        func text(_ name: String) throws -> String { String(decoding: try read(name), as: UTF8.self) }

        @discardableResult
        func openssl(_ args: String...) throws -> Int32 {
            try CommandRunner.run("/usr/bin/env", ["openssl"] + args, currentDirectory: dir.path).status
        }

        static func make() throws -> Fixture {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecdsa-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let f = Fixture(dir: dir)
            try Data("model.safetensors sha256:0123\n".utf8).write(to: dir.appendingPathComponent("msg.bin"))
            try #require(try f.openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem") == 0,
                         "openssl CLI is required for these tests")
            try #require(try f.openssl("ec", "-in", "key.pem", "-pubout", "-out", "pub.pem") == 0)
            try #require(try f.openssl("pkey", "-pubin", "-in", "pub.pem", "-outform", "DER", "-out", "pub.der") == 0)
            try #require(try f.openssl("dgst", "-sha256", "-sign", "key.pem", "-out", "sig.der", "msg.bin") == 0)
            return f
        }

        func remove() { try? FileManager.default.removeItem(at: dir) }
    }

    @Test func verifiesOpensslSignaturesAndRejectsEveryBitFlip() throws {
        let f = try Fixture.make()
        defer { f.remove() }
        let key = try ECDSAP256PublicKey(pem: try f.text("pub.pem"))
        let message = try f.read("msg.bin")
        let signature = try f.read("sig.der")
        #expect(key.verify(derSignature: signature, message: message))
        for flipped in oneBitFlips(signature) {
            #expect(!key.verify(derSignature: flipped, message: message))
        }
        for flipped in oneBitFlips(message) {
            #expect(!key.verify(derSignature: signature, message: flipped))
        }
        #expect(!key.verify(derSignature: [], message: message))
        #expect(!key.verify(derSignature: signature + [0], message: message))   // trailing garbage
        #expect(!key.verify(derSignature: Array(signature.dropLast()), message: message))
    }

    @Test func keyIDIsSHA256OfDERSubjectPublicKeyInfo() throws {
        let f = try Fixture.make()
        defer { f.remove() }
        let key = try ECDSAP256PublicKey(pem: try f.text("pub.pem"))
        let der = try f.read("pub.der")
        #expect(key.spkiDER == der)
        #expect(key.keyID == SHA256.hash(der))
        #expect(try ECDSAP256PublicKey(derSPKI: der) == key)
        #expect(throws: KeyFormatError.self) { try ECDSAP256PublicKey(derSPKI: der + [0]) }
        #expect(throws: KeyFormatError.self) { try ECDSAP256PublicKey(derSPKI: Array(der.dropLast())) }
    }

    @Test func anotherKeyDoesNotVerify() throws {
        let f = try Fixture.make(), g = try Fixture.make()
        defer { f.remove(); g.remove() }
        let other = try ECDSAP256PublicKey(pem: try g.text("pub.pem"))
        #expect(!other.verify(derSignature: try f.read("sig.der"), message: try f.read("msg.bin")))
    }

    @Test func otherCurvesAndAlgorithmsAreRejected() throws {
        let f = try Fixture.make()
        defer { f.remove() }
        for curve in ["secp384r1", "secp256k1"] {
            try #require(try f.openssl("ecparam", "-name", curve, "-genkey", "-noout", "-out", "\(curve).pem") == 0)
            try #require(try f.openssl("ec", "-in", "\(curve).pem", "-pubout", "-out", "\(curve)-pub.pem") == 0)
            #expect(throws: KeyFormatError.self) { try ECDSAP256PublicKey(pem: try f.text("\(curve)-pub.pem")) }
        }
        try #require(try f.openssl("genpkey", "-algorithm", "ed25519", "-out", "ed.pem") == 0)
        try #require(try f.openssl("pkey", "-in", "ed.pem", "-pubout", "-out", "ed-pub.pem") == 0)
        #expect(throws: KeyFormatError.self) { try ECDSAP256PublicKey(pem: try f.text("ed-pub.pem")) }
        // A private key PEM, garbage and an empty string are not public keys.
        #expect(throws: KeyFormatError.self) { try ECDSAP256PublicKey(pem: try f.text("key.pem")) }
        #expect(throws: KeyFormatError.self) { try ECDSAP256PublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
        #expect(throws: KeyFormatError.self) { try ECDSAP256PublicKey(pem: "") }
    }
}
