import AuditCrypto
import Foundation
import Testing

/// Throughput figures for the design notes. Off by default (timing on a shared CI machine
/// is noise); run with `AUDITCTL_MEASURE=1 swift test --filter CryptoThroughputTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["AUDITCTL_MEASURE"] != nil))
struct CryptoThroughputTests {
    @Test func ed25519AndArgon2id() throws {
        let key = Ed25519PrivateKey.generate()
        let message = SecureRandom.bytes(200)   // about one canonical signature record
        let clock = ContinuousClock()
        let n = 5_000
        var signature: [UInt8] = []
        let signTime = clock.measure { for _ in 0..<n { signature = key.sign(message) } }
        var ok = 0
        let verifyTime = clock.measure { for _ in 0..<n where key.publicKey.verify(signature: signature, message: message) { ok += 1 } }
        #expect(ok == n)
        var encoded = ""
        let hashTime = try clock.measure { encoded = try PasswordHash.make(password: "pw", parameters: .interactive) }
        #expect(PasswordHash.verify(password: "pw", encoded: encoded))
        func perSecond(_ d: Duration) -> Int { Int(Double(n) / (Double(d.components.attoseconds) / 1e18 + Double(d.components.seconds))) }
        print("Ed25519 sign/s: \(perSecond(signTime)), verify/s: \(perSecond(verifyTime)), "
              + "Argon2id interactive: \(hashTime)")
    }
}
