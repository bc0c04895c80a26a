import AuditCrypto
import Testing

@Suite struct ConstantTimeTests {
    @Test func equalitySemantics() {
        #expect(ConstantTime.equal([], []))
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))     // last byte differs
        #expect(!ConstantTime.equal([0, 2, 3], [1, 2, 3]))     // first byte differs
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))        // prefix is not equal
        #expect(!ConstantTime.equal([], [0]))
        let secret = SecureRandom.bytes(64)
        #expect(ConstantTime.equal(secret, secret))
        for flipped in oneBitFlips(secret) { #expect(!ConstantTime.equal(secret, flipped)) }
    }

    @Test func randomBytes() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(-5).isEmpty)
        #expect(SecureRandom.bytes(33).count == 33)
        // 2^-256 chance of a false failure.
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
        // Not stuck on one value: 4 KiB of output uses many distinct byte values.
        #expect(Set(SecureRandom.bytes(4096)).count > 200)
    }
}
