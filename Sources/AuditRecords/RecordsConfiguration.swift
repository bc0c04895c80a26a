import AuditCrypto
import Foundation

/// Argon2id costs. Defaults suit production; tests lower them. The security *limits*
/// (lockout, password rules, clock tolerance, confirmations) are not here: they live in the
/// recorded approval policy (`SecurityParameters`) so no caller can loosen them.
public struct RecordsConfiguration: Sendable {
    /// Cost of password verifiers (checked at every signing).
    public var passwordHashing: Argon2Parameters = .interactive
    /// Cost of the key that seals each user's private signing key.
    public var keySealing: Argon2Parameters = .moderate

    public init() {}

    /// The same rules with libsodium's minimum Argon2id cost. Tests only: no protection.
    public static var testing: RecordsConfiguration {
        var c = RecordsConfiguration()
        c.passwordHashing = .testing
        c.keySealing = .testing
        return c
    }
}
