/// A key given to us (raw bytes, base64, PEM) is not a well-formed key of the expected
/// kind. Always a "malformed input" error: no signature has been checked yet.
public enum KeyFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `what` names the value ("Ed25519 public key", "Ed25519 seed", ...).
    case wrongLength(what: String, expected: Int, actual: Int)
    case invalidBase64(what: String)
    /// The PEM document could not be read as a SubjectPublicKeyInfo.
    case invalidPEM(reason: String)
    /// A well-formed key of an algorithm or curve we do not accept.
    case unsupportedKey(String)

    public var description: String {
        switch self {
        case let .wrongLength(what, expected, actual):
            return "\(what) must be \(expected) bytes, got \(actual)"
        case let .invalidBase64(what):
            return "\(what) is not valid base64"
        case let .invalidPEM(reason):
            return "public key PEM is malformed: \(reason)"
        case let .unsupportedKey(detail):
            return "unsupported key: \(detail)"
        }
    }
}
