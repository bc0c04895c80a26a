/// A SHA-256 value. Kept as a value type in AuditCore so domain types can carry
/// digests without depending on any crypto library; hashing lives in AuditCrypto.
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let byteCount = 32
    /// Exactly 32 bytes.
    public let bytes: [UInt8]

    public static let zero = Digest(uncheckedBytes: [UInt8](repeating: 0, count: 32))

    /// Fails unless given exactly 32 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Digest.byteCount else { return nil }
        self.bytes = bytes
    }

    public init(uncheckedBytes bytes: [UInt8]) {
        precondition(bytes.count == Digest.byteCount, "a SHA-256 digest has 32 bytes")
        self.bytes = bytes
    }

    /// Lowercase hex, 64 characters.
    public var hex: String { Hex.encode(bytes) }

    /// The `sha256:<hex>` form used in every JSON document (DESIGN.md, fixed formats).
    public var prefixed: String { "sha256:" + hex }

    public var description: String { prefixed }

    /// Parses 64 hex digits (either case accepted on input, lowercase emitted).
    public init?(hex: String) {
        guard hex.utf8.count == 64, let b = Hex.decode(hex) else { return nil }
        self.bytes = b
    }

    /// Parses the `sha256:<64 lowercase hex>` form; anything else is nil.
    public init?(prefixed: String) {
        guard prefixed.hasPrefix("sha256:") else { return nil }
        let rest = String(prefixed.dropFirst(7))
        guard rest == rest.lowercased() else { return nil }
        self.init(hex: rest)
    }

    public static func < (lhs: Digest, rhs: Digest) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

/// Hex encoding without Foundation formatting overhead.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes an even-length hex string; nil on any non-hex character.
    public static func decode(_ string: String) -> [UInt8]? {
        let u = Array(string.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
