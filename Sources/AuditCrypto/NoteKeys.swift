import AuditCore
/// Key names and key hashes shared by signer and verifier keys (c2sp.org/signed-note).
enum NoteKeyHash {
    /// Ed25519's signature type byte.
    static let ed25519: UInt8 = 0x01

    /// First four bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ type ‖ public key).
    static func compute(name: String, publicKey: Ed25519PublicKey) -> UInt32 {
        let d = SHA256.hash(parts: [Array(name.utf8), [0x0A, ed25519], publicKey.rawBytes]).bytes
        return UInt32(d[0]) << 24 | UInt32(d[1]) << 16 | UInt32(d[2]) << 8 | UInt32(d[3])
    }

    static func bytes(_ hash: UInt32) -> [UInt8] {
        [UInt8(hash >> 24 & 0xFF), UInt8(hash >> 16 & 0xFF), UInt8(hash >> 8 & 0xFF), UInt8(hash & 0xFF)]
    }

    /// Eight lowercase hex digits, as in key strings.
    static func hex(_ hash: UInt32) -> String {
        let s = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }

    /// Exactly eight hex digits (either case, as Go's ParseUint accepts).
    static func parseHex(_ text: Substring) -> UInt32? {
        guard text.utf8.count == 8, text.utf8.allSatisfy(isHexDigit) else { return nil }
        return UInt32(text, radix: 16)
    }

    /// Non-empty, no Unicode white space, no "+" (the spec's key name rule).
    static func isValidName(_ name: Substring) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace }
    }
}

private func isHexDigit(_ c: UInt8) -> Bool {
    (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
}

/// A trusted signed-note key: `name+hhhhhhhh+base64(0x01 ‖ Ed25519 public key)`.
public struct NoteVerifierKey: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let keyHash: UInt32
    public let publicKey: Ed25519PublicKey

    public init(name: String, publicKey: Ed25519PublicKey) throws(SignedNoteError) {
        guard NoteKeyHash.isValidName(Substring(name)) else {
            throw .malformedKey(reason: "key name must be non-empty, without spaces or '+'")
        }
        self.name = name
        self.publicKey = publicKey
        self.keyHash = NoteKeyHash.compute(name: name, publicKey: publicKey)
    }

    /// Parses a verifier key string, checking its key hash against name and key.
    public static func parse(_ text: String) throws(SignedNoteError) -> NoteVerifierKey {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformedKey(reason: "expected name+hash+key") }
        return try fromParts(name: parts[0], hash: parts[1], key: parts[2])
    }

    /// Shared by verifier and signer key parsing; `key` is base64(0x01 ‖ 32-byte public key).
    static func fromParts(name: Substring, hash: Substring, key: Substring) throws(SignedNoteError) -> NoteVerifierKey {
        guard NoteKeyHash.isValidName(name) else { throw .malformedKey(reason: "invalid key name") }
        guard let claimed = NoteKeyHash.parseHex(hash) else { throw .malformedKey(reason: "key hash must be 8 hex digits") }
        guard let raw = Base64.decode(String(key)), let type = raw.first else {
            throw .malformedKey(reason: "key is not canonical base64")
        }
        guard type == NoteKeyHash.ed25519 else { throw .malformedKey(reason: "unknown signature type \(type)") }
        guard let publicKey = try? Ed25519PublicKey(rawBytes: Array(raw.dropFirst())) else {
            throw .malformedKey(reason: "Ed25519 public key must be 32 bytes")
        }
        let verifier = try NoteVerifierKey(name: String(name), publicKey: publicKey)
        guard verifier.keyHash == claimed else { throw .malformedKey(reason: "key hash does not match name and key") }
        return verifier
    }

    /// The verifier key string.
    public var encoded: String {
        "\(name)+\(NoteKeyHash.hex(keyHash))+\(Base64.encode([NoteKeyHash.ed25519] + publicKey.rawBytes))"
    }

    public var description: String { encoded }
}

/// A signed-note signing key: a name and an Ed25519 private key. Its string form is
/// `PRIVATE+KEY+name+hhhhhhhh+base64(0x01 ‖ seed)` (the Go `note` package's format).
public struct NoteSigner: Sendable {
    public let name: String
    public let privateKey: Ed25519PrivateKey
    public let verifierKey: NoteVerifierKey

    public var keyHash: UInt32 { verifierKey.keyHash }

    public init(name: String, privateKey: Ed25519PrivateKey) throws(SignedNoteError) {
        self.verifierKey = try NoteVerifierKey(name: name, publicKey: privateKey.publicKey)
        self.name = name
        self.privateKey = privateKey
    }

    /// Parses a signer key string; the key hash is checked against the derived public key.
    public static func parse(_ text: String) throws(SignedNoteError) -> NoteSigner {
        let parts = text.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw .malformedKey(reason: "expected PRIVATE+KEY+name+hash+key")
        }
        guard NoteKeyHash.isValidName(parts[2]) else { throw .malformedKey(reason: "invalid key name") }
        guard let claimed = NoteKeyHash.parseHex(parts[3]) else { throw .malformedKey(reason: "key hash must be 8 hex digits") }
        guard var raw = Base64.decode(String(parts[4])), let type = raw.first else {
            throw .malformedKey(reason: "key is not canonical base64")
        }
        defer { Sodium.wipe(&raw) }
        guard type == NoteKeyHash.ed25519 else { throw .malformedKey(reason: "unknown signature type \(type)") }
        var seed = Array(raw.dropFirst())
        defer { Sodium.wipe(&seed) }
        guard let key = try? Ed25519PrivateKey(seed: seed) else { throw .malformedKey(reason: "Ed25519 seed must be 32 bytes") }
        let signer = try NoteSigner(name: String(parts[2]), privateKey: key)
        guard signer.keyHash == claimed else { throw .malformedKey(reason: "key hash does not match name and key") }
        return signer
    }

    /// The secret signer key string. Treat it like the private key it contains.
    public var encoded: String {
        var payload = [NoteKeyHash.ed25519] + privateKey.seed
        defer { Sodium.wipe(&payload) }
        return "PRIVATE+KEY+\(name)+\(NoteKeyHash.hex(keyHash))+\(Base64.encode(payload))"
    }
}
