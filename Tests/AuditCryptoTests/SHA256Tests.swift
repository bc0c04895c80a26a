import AuditCore
import AuditCrypto
import Testing

@Suite struct SHA256Tests {
    // FIPS 180-2 appendix B vectors.
    @Test func knownAnswers() {
        #expect(SHA256.hash("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash("").hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").hex
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func incrementalMatchesOneShot() {
        let data = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let h = SHA256Hasher()
        var i = 0
        while i < data.count { let j = min(data.count, i + 777); h.update(Array(data[i..<j])); i = j }
        #expect(h.finalize() == SHA256.hash(data))
    }

    @Test func digestParsing() {
        let d = SHA256.hash("abc")
        #expect(Digest(prefixed: d.prefixed) == d)
        #expect(Digest(prefixed: d.hex) == nil)
        #expect(Digest(prefixed: "sha256:" + d.hex.uppercased()) == nil)
        #expect(Digest(hex: "zz") == nil)
    }
}
