import AuditCore
import Foundation
import AuditCrypto
import Testing

@Suite struct PasswordHashTests {
    @Test func makeAndVerify() throws {
        let encoded = try PasswordHash.make(password: "correct horse", parameters: .testing)
        #expect(encoded.hasPrefix("$argon2id$v=19$m=8,t=1,p=1$"))
        #expect(PasswordHash.verify(password: "correct horse", encoded: encoded))
        #expect(!PasswordHash.verify(password: "correct horsf", encoded: encoded))
        #expect(!PasswordHash.verify(password: "", encoded: encoded))
        // Fresh salt each time.
        #expect(try PasswordHash.make(password: "correct horse", parameters: .testing) != encoded)
    }

    @Test func malformedOrForeignEncodingsNeverVerify() throws {
        let encoded = try PasswordHash.make(password: "pw", parameters: .testing)
        #expect(!PasswordHash.verify(password: "pw", encoded: ""))
        #expect(!PasswordHash.verify(password: "pw", encoded: "garbage"))
        #expect(!PasswordHash.verify(password: "pw", encoded: String(encoded.dropLast(3))))
        #expect(!PasswordHash.verify(password: "pw", encoded: encoded.replacingFirst("argon2id", with: "argon2i")))
        // A tampered cost far beyond Limits is refused without running Argon2id on it.
        let huge = encoded.replacingFirst("m=8,", with: "m=4294967295,")
        #expect(!PasswordHash.verify(password: "pw", encoded: huge))
        #expect(PasswordHash.needsRehash(encoded: "garbage", parameters: .testing))
    }

    @Test func needsRehashFollowsParameters() throws {
        let encoded = try PasswordHash.make(password: "pw", parameters: .testing)
        #expect(!PasswordHash.needsRehash(encoded: encoded, parameters: .testing))
        #expect(PasswordHash.needsRehash(encoded: encoded, parameters: .interactive))
        #expect(PasswordHash.needsRehash(encoded: encoded, parameters: Argon2Parameters(opsLimit: 2, memLimit: 8192)))
    }

    @Test func parametersOutOfRangeAreRefused() {
        #expect(throws: PasswordHashError.self) {
            try PasswordHash.make(password: "pw", parameters: Argon2Parameters(opsLimit: 0, memLimit: 8192))
        }
        #expect(throws: PasswordHashError.self) {
            try PasswordHash.make(password: "pw", parameters: Argon2Parameters(opsLimit: 1, memLimit: 1024))
        }
        #expect(throws: PasswordHashError.self) {
            try PasswordHash.make(password: "pw",
                                  parameters: Argon2Parameters(opsLimit: 1, memLimit: Limits.maxArgon2MemLimitBytes + 1024))
        }
        #expect(throws: PasswordHashError.passwordTooLong(bytes: Limits.maxPasswordBytes + 1, limit: Limits.maxPasswordBytes)) {
            try PasswordHash.make(password: String(repeating: "x", count: Limits.maxPasswordBytes + 1), parameters: .testing)
        }
        #expect(Argon2Parameters.interactive.rangeViolation == nil)
        #expect(Argon2Parameters.moderate.rangeViolation == nil)
        #expect(Argon2Parameters.testing.rangeViolation == nil)
    }

    /// Cross-implementation known answers: the expected keys come from OpenSSL's Argon2id
    /// via Python `cryptography` 48:
    /// `Argon2id(salt=b'auditctl-salt-16', length=32, iterations=2, lanes=1, memory_cost=64).derive(b'correct horse battery staple')`.
    @Test func deriveKeyMatchesAnIndependentImplementation() throws {
        let salt = Array("auditctl-salt-16".utf8)
        let k1 = try Argon2id.deriveKey(password: "correct horse battery staple", salt: salt,
                                        parameters: Argon2Parameters(opsLimit: 2, memLimit: 64 * 1024), length: 32)
        #expect(Hex.encode(k1) == "7e72c8eaadd86f8e678ae6208a7060c387bd3a381b15f39bbed4c922f006a63e")
        let k2 = try Argon2id.deriveKey(password: "", salt: salt, parameters: .testing, length: 32)
        #expect(Hex.encode(k2) == "800e769cd278b018b51173b6e9c181cf3b6718ab8657d37b18d280967ec53296")
        #expect(throws: PasswordHashError.self) {
            try Argon2id.deriveKey(password: "pw", salt: [1, 2, 3], parameters: .testing, length: 32)
        }
        #expect(throws: PasswordHashError.self) {
            try Argon2id.deriveKey(password: "pw", salt: salt, parameters: .testing, length: 8)
        }
    }

    @Test func parametersAreCodable() throws {
        let json = try JSONRoundTrip.encode(Argon2Parameters.interactive)
        #expect(json.contains("\"opsLimit\":2"))
        #expect(json.contains("\"memLimit\":67108864"))
        #expect(try JSONRoundTrip.decode(Argon2Parameters.self, json) == .interactive)
    }

    /// The one test that pays for libsodium's real interactive cost (64 MiB).
    @Test func interactivePresetWorks() throws {
        let encoded = try PasswordHash.make(password: "operator-7", parameters: .interactive)
        #expect(encoded.hasPrefix("$argon2id$v=19$m=65536,t=2,p=1$"))
        #expect(PasswordHash.verify(password: "operator-7", encoded: encoded))
        #expect(!PasswordHash.needsRehash(encoded: encoded, parameters: .interactive))
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = range(of: target) else { return self }
        return replacingCharacters(in: r, with: replacement)
    }
}
