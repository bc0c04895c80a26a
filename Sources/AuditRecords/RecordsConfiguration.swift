import AuditCrypto
import Foundation

/// Credential rules and costs. Defaults suit production; tests lower the Argon2id cost.
public struct RecordsConfiguration: Sendable {
    /// Cost of password verifiers (checked at every signing).
    public var passwordHashing: Argon2Parameters = .interactive
    /// Cost of the key that seals each user's private signing key.
    public var keySealing: Argon2Parameters = .moderate
    /// Consecutive authentication failures that lock an account (21 CFR 11.300(d)).
    public var lockoutThreshold = 5
    /// Shortest password accepted when one is set.
    public var minimumPasswordLength = 12
    /// Days after which a password must be changed before the next signing; 0 = never.
    public var maximumPasswordAgeDays = 90

    public init() {}

    /// The same rules with libsodium's minimum Argon2id cost. Tests only: no protection.
    public static var testing: RecordsConfiguration {
        var c = RecordsConfiguration()
        c.passwordHashing = .testing
        c.keySealing = .testing
        return c
    }
}
