import AuditCore
import CSodium

/// Argon2id cost parameters (RFC 9106): passes over memory and memory size in bytes.
/// Codable because sealed key files record the parameters they were sealed with.
public struct Argon2Parameters: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Number of passes (libsodium's `opslimit`).
    public var opsLimit: UInt64
    /// Memory in bytes (libsodium's `memlimit`; Argon2 works in 1 KiB blocks).
    public var memLimit: Int

    public init(opsLimit: UInt64, memLimit: Int) {
        self.opsLimit = opsLimit
        self.memLimit = memLimit
    }

    /// libsodium's interactive preset (2 passes, 64 MiB): for logins and e-signatures.
    public static let interactive = Argon2Parameters(
        opsLimit: UInt64(crypto_pwhash_argon2id_opslimit_interactive()),
        memLimit: Int(crypto_pwhash_argon2id_memlimit_interactive()))

    /// libsodium's moderate preset (3 passes, 256 MiB): for sealing long-lived signing keys.
    public static let moderate = Argon2Parameters(
        opsLimit: UInt64(crypto_pwhash_argon2id_opslimit_moderate()),
        memLimit: Int(crypto_pwhash_argon2id_memlimit_moderate()))

    /// libsodium's minimums (1 pass, 8 KiB). Only for tests: offers no protection.
    public static let testing = Argon2Parameters(opsLimit: minimumOpsLimit, memLimit: minimumMemLimit)

    public static let minimumOpsLimit = UInt64(crypto_pwhash_argon2id_opslimit_min())
    public static let minimumMemLimit = Int(crypto_pwhash_argon2id_memlimit_min())

    public var description: String { "argon2id(t=\(opsLimit), m=\(memLimit / 1024) KiB)" }

    /// Nil when usable; otherwise which field is out of range and why. The upper bounds
    /// (Limits) stop a hostile key file or hash from demanding unbounded CPU or memory.
    public var rangeViolation: (field: String, reason: String)? {
        if opsLimit < Self.minimumOpsLimit {
            return ("opsLimit", "\(opsLimit) is below the Argon2id minimum \(Self.minimumOpsLimit)")
        }
        if opsLimit > Limits.maxArgon2OpsLimit {
            return ("opsLimit", "\(opsLimit) exceeds the limit \(Limits.maxArgon2OpsLimit)")
        }
        if memLimit < Self.minimumMemLimit {
            return ("memLimit", "\(memLimit) bytes is below the Argon2id minimum \(Self.minimumMemLimit)")
        }
        if memLimit > Limits.maxArgon2MemLimitBytes {
            return ("memLimit", "\(memLimit) bytes exceeds the limit \(Limits.maxArgon2MemLimitBytes)")
        }
        return nil
    }

    func validated() throws(PasswordHashError) -> Argon2Parameters {
        if let v = rangeViolation { throw .parametersOutOfRange(field: v.field, reason: v.reason) }
        return self
    }
}

/// Password hashing or key derivation could not run. Never means "wrong password":
/// verification answers that with `false`.
public enum PasswordHashError: Error, Equatable, Sendable, CustomStringConvertible {
    case parametersOutOfRange(field: String, reason: String)
    case passwordTooLong(bytes: Int, limit: Int)
    case invalidArgument(String)
    /// libsodium refused, in practice because the memory could not be allocated.
    case hashingFailed

    public var description: String {
        switch self {
        case let .parametersOutOfRange(field, reason): return "Argon2id \(field) out of range: \(reason)"
        case let .passwordTooLong(bytes, limit): return "password is \(bytes) bytes; at most \(limit) are accepted"
        case let .invalidArgument(reason): return "invalid Argon2id argument: \(reason)"
        case .hashingFailed: return "Argon2id failed (not enough memory for the requested cost?)"
        }
    }
}
