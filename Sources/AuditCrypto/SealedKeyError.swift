/// Why a sealed key file could not be sealed or opened. `source` names the file (a path
/// or other label the caller chose) so the CLI can say which one.
public enum SealedKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The authenticator did not verify: the password is wrong (or the salt, cost, nonce
    /// or ciphertext were altered, which a MAC cannot tell apart from a wrong password).
    case wrongPassword(source: String)
    /// The file is not a well-formed sealed key. `field` is the JSON path of the
    /// offending value ("kdf.salt"), or "(file)" for the document as a whole.
    case malformed(source: String, field: String, reason: String)
    /// The file decrypted, but the key inside does not match the public key or key id the
    /// file advertises (a spliced or hand-edited file).
    case mismatch(source: String, field: String)
    /// Parameters handed to `seal` are unusable.
    case invalidParameters(field: String, reason: String)
    /// Argon2id could not run (in practice: not enough memory).
    case kdfFailed(reason: String)

    public var description: String {
        switch self {
        case let .wrongPassword(source):
            return "\(source): wrong password, or the sealed key file was altered"
        case let .malformed(source, field, reason):
            return "\(source): malformed sealed key file: \(field): \(reason)"
        case let .mismatch(source, field):
            return "\(source): decrypted key does not match the file's \(field); the file may have been tampered with"
        case let .invalidParameters(field, reason):
            return "cannot seal key: \(field): \(reason)"
        case let .kdfFailed(reason):
            return "cannot derive the sealing key: \(reason)"
        }
    }
}
