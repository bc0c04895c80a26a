import AuditCore
import AuditCrypto
import Testing

@Suite struct Ed25519Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String, seed: String, publicKey: String, message: String, signature: String
        var testDescription: String { name }
    }

    // RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72).
    static let rfc8032: [Vector] = [
        Vector(name: "RFC 8032 TEST 1",
               seed: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
               publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
               message: "",
               signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        Vector(name: "RFC 8032 TEST 2",
               seed: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
               publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
               message: "72",
               signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                        + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ]

    @Test(arguments: rfc8032)
    func knownAnswer(_ v: Vector) throws {
        let key = try Ed25519PrivateKey(seed: hexBytes(v.seed))
        #expect(Hex.encode(key.publicKey.rawBytes) == v.publicKey)
        #expect(Hex.encode(key.seed) == v.seed)
        let signature = key.sign(hexBytes(v.message))
        #expect(Hex.encode(signature) == v.signature)
        let publicKey = try Ed25519PublicKey(rawBytes: hexBytes(v.publicKey))
        #expect(publicKey.verify(signature: hexBytes(v.signature), message: hexBytes(v.message)))
    }

    @Test(arguments: rfc8032)
    func everyOneBitChangeIsRejected(_ v: Vector) throws {
        let publicKey = try Ed25519PublicKey(rawBytes: hexBytes(v.publicKey))
        let signature = hexBytes(v.signature)
        let message = hexBytes(v.message)
        for flipped in oneBitFlips(signature) {
            #expect(!publicKey.verify(signature: flipped, message: message))
        }
        for flipped in oneBitFlips(message) {
            #expect(!publicKey.verify(signature: signature, message: flipped))
        }
        #expect(!publicKey.verify(signature: signature, message: message + [0]))
    }

    @Test func wrongSizesAreFalseOrTypedErrors() throws {
        let key = Ed25519PrivateKey.generate()
        let message: [UInt8] = Array("hello".utf8)
        let signature = key.sign(message)
        #expect(key.publicKey.verify(signature: signature, message: message))
        #expect(!key.publicKey.verify(signature: Array(signature.dropLast()), message: message))
        #expect(!key.publicKey.verify(signature: signature + [0], message: message))
        #expect(!key.publicKey.verify(signature: [], message: message))
        #expect(throws: KeyFormatError.wrongLength(what: "Ed25519 public key", expected: 32, actual: 31)) {
            try Ed25519PublicKey(rawBytes: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: KeyFormatError.wrongLength(what: "Ed25519 seed", expected: 32, actual: 64)) {
            try Ed25519PrivateKey(seed: [UInt8](repeating: 1, count: 64))
        }
    }

    @Test func keyIDIsSHA256OfRawPublicKey() throws {
        let publicKey = try Ed25519PublicKey(rawBytes: hexBytes(Self.rfc8032[0].publicKey))
        #expect(publicKey.keyID == SHA256.hash(hexBytes(Self.rfc8032[0].publicKey)))
        #expect(publicKey.keyID.prefixed.hasPrefix("sha256:"))
    }

    @Test func base64RoundTripIsStrict() throws {
        let publicKey = try Ed25519PublicKey(rawBytes: hexBytes(Self.rfc8032[1].publicKey))
        #expect(publicKey.base64 == "PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw=")
        #expect(try Ed25519PublicKey(base64: publicKey.base64) == publicKey)
        #expect(throws: KeyFormatError.invalidBase64(what: "Ed25519 public key")) {
            try Ed25519PublicKey(base64: "PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw")   // no padding
        }
        #expect(throws: KeyFormatError.invalidBase64(what: "Ed25519 public key")) {
            try Ed25519PublicKey(base64: "PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgx=")  // trailing bits set
        }
    }

    @Test func generatedKeysAreDistinctAndRoundTripThroughTheirSeed() throws {
        let a = Ed25519PrivateKey.generate()
        let b = Ed25519PrivateKey.generate()
        #expect(a.publicKey != b.publicKey)
        let again = try Ed25519PrivateKey(seed: a.seed)
        #expect(again.publicKey == a.publicKey)
        let message = SecureRandom.bytes(100)
        #expect(again.sign(message) == a.sign(message))
        #expect(!b.publicKey.verify(signature: a.sign(message), message: message))
    }
}
