import AuditCore
import CSodium

/// An Ed25519 public key (RFC 8032), 32 raw bytes. A value type so key sets, ledger
/// entries and caches can hold and compare keys freely across tasks.
public struct Ed25519PublicKey: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 32
    public static let signatureByteCount = 64

    /// The 32-byte encoding from RFC 8032 §5.1.5.
    public let rawBytes: [UInt8]

    public init(rawBytes: [UInt8]) throws(KeyFormatError) {
        guard rawBytes.count == Self.byteCount else {
            throw .wrongLength(what: "Ed25519 public key", expected: Self.byteCount, actual: rawBytes.count)
        }
        self.rawBytes = rawBytes
    }

    /// `rawBytes` has exactly `byteCount` bytes (it came from libsodium).
    init(checkedRawBytes rawBytes: [UInt8]) {
        self.rawBytes = rawBytes
    }

    /// Standard padded base64 of the raw 32 bytes (strict: one spelling per key).
    public init(base64: String) throws(KeyFormatError) {
        guard let raw = Base64.decode(base64) else { throw .invalidBase64(what: "Ed25519 public key") }
        try self.init(rawBytes: raw)
    }

    public var base64: String { Base64.encode(rawBytes) }

    /// The key's identity everywhere in auditctl (DESIGN.md): SHA-256 of the raw public key.
    public var keyID: Digest { SHA256.hash(rawBytes) }

    public var description: String { "ed25519:\(keyID.prefixed)" }

    /// Whether `signature` is a valid detached Ed25519 signature of `message` under this key.
    /// Wrong-sized signatures are just invalid: verification answers yes or no, never throws.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        guard signature.count == Self.signatureByteCount else { return false }
        Sodium.ensureInitialized()
        return crypto_sign_verify_detached(signature, message, UInt64(message.count), rawBytes) == 0
    }
}
