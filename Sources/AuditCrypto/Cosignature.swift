import AuditCore

/// A witness's public key for Ed25519 checkpoint cosignatures (c2sp.org/tlog-cosignature,
/// `cosignature/v1`). Same string shape as a note verifier key, but signature type 0x04,
/// so a cosigner key can never be mistaken for a log key (their key hashes differ).
public struct CosignerKey: Hashable, Sendable, CustomStringConvertible {
    /// The cosignature/v1 Ed25519 signature type byte, which also enters the key hash.
    public static let signatureType: UInt8 = 0x04

    public let name: String
    public let keyHash: UInt32
    public let publicKey: Ed25519PublicKey

    public init(name: String, publicKey: Ed25519PublicKey) throws(SignedNoteError) {
        guard NoteKeyHash.isValidName(Substring(name)) else {
            throw .malformedKey(reason: "cosigner name must be non-empty, without spaces or '+'")
        }
        self.name = name
        self.publicKey = publicKey
        let d = SHA256.hash(parts: [Array(name.utf8), [0x0A, Self.signatureType], publicKey.rawBytes]).bytes
        self.keyHash = UInt32(d[0]) << 24 | UInt32(d[1]) << 16 | UInt32(d[2]) << 8 | UInt32(d[3])
    }

    /// Parses `name+hhhhhhhh+base64(0x04 ‖ public key)` and checks the key hash.
    public static func parse(_ text: String) throws(SignedNoteError) -> CosignerKey {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformedKey(reason: "expected name+hash+key") }
        guard let claimed = NoteKeyHash.parseHex(parts[1]) else { throw .malformedKey(reason: "key hash must be 8 hex digits") }
        guard let raw = Base64.decode(String(parts[2])), let type = raw.first else {
            throw .malformedKey(reason: "key is not canonical base64")
        }
        guard type == signatureType else {
            throw .malformedKey(reason: "signature type \(type) is not a cosignature/v1 key (0x04)")
        }
        guard let publicKey = try? Ed25519PublicKey(rawBytes: Array(raw.dropFirst())) else {
            throw .malformedKey(reason: "Ed25519 public key must be 32 bytes")
        }
        let key = try CosignerKey(name: String(parts[0]), publicKey: publicKey)
        guard key.keyHash == claimed else { throw .malformedKey(reason: "key hash does not match name and key") }
        return key
    }

    public var encoded: String {
        "\(name)+\(NoteKeyHash.hex(keyHash))+\(Base64.encode([Self.signatureType] + publicKey.rawBytes))"
    }

    public var description: String { encoded }
}

/// A witness's signing key: `PRIVATE+KEY+name+hhhhhhhh+base64(0x04 ‖ seed)`.
public struct Cosigner: Sendable {
    public let privateKey: Ed25519PrivateKey
    public let key: CosignerKey

    public var name: String { key.name }

    public init(name: String, privateKey: Ed25519PrivateKey) throws(SignedNoteError) {
        self.key = try CosignerKey(name: name, publicKey: privateKey.publicKey)
        self.privateKey = privateKey
    }

    public static func parse(_ text: String) throws(SignedNoteError) -> Cosigner {
        let parts = text.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw .malformedKey(reason: "expected PRIVATE+KEY+name+hash+key")
        }
        guard let claimed = NoteKeyHash.parseHex(parts[3]) else { throw .malformedKey(reason: "key hash must be 8 hex digits") }
        guard var raw = Base64.decode(String(parts[4])), let type = raw.first else {
            throw .malformedKey(reason: "key is not canonical base64")
        }
        defer { Sodium.wipe(&raw) }
        guard type == CosignerKey.signatureType else { throw .malformedKey(reason: "signature type \(type) is not 0x04") }
        var seed = Array(raw.dropFirst())
        defer { Sodium.wipe(&seed) }
        guard let privateKey = try? Ed25519PrivateKey(seed: seed) else { throw .malformedKey(reason: "Ed25519 seed must be 32 bytes") }
        let cosigner = try Cosigner(name: String(parts[2]), privateKey: privateKey)
        guard cosigner.key.keyHash == claimed else { throw .malformedKey(reason: "key hash does not match name and key") }
        return cosigner
    }

    /// The secret key string. Treat it like the private key it contains.
    public var encoded: String {
        var payload = [CosignerKey.signatureType] + privateKey.seed
        defer { Sodium.wipe(&payload) }
        return "PRIVATE+KEY+\(name)+\(NoteKeyHash.hex(key.keyHash))+\(Base64.encode(payload))"
    }

    /// One note signature line (`— name base64(keyhash ‖ u64be timestamp ‖ signature)\n`)
    /// cosigning `checkpointText` (the note body, ending in a newline) at `timestamp`.
    public func cosign(checkpointText: String, timestamp: UInt64) throws(SignedNoteError) -> String {
        guard checkpointText.hasSuffix("\n") else { throw .invalidText(reason: "checkpoint text must end with a newline") }
        guard timestamp <= UInt64(Int64.max) else { throw .invalidText(reason: "timestamp exceeds 2^63-1") }
        let signature = privateKey.sign(Cosignature.message(checkpointText: checkpointText, timestamp: timestamp))
        let payload = NoteKeyHash.bytes(key.keyHash) + Cosignature.bigEndian(timestamp) + signature
        return "— \(name) \(Base64.encode(payload))\n"
    }
}

/// One cosignature that verified under a trusted witness key.
public struct VerifiedCosignature: Sendable, Equatable {
    public let key: CosignerKey
    /// POSIX seconds at which the witness cosigned.
    public let timestamp: UInt64
    /// The signature line as it appeared, without its newline.
    public let line: String
}

/// Checks cosignatures (c2sp.org/tlog-cosignature, Ed25519 `cosignature/v1`).
public enum Cosignature {
    /// `cosignature/v1\ntime <t>\n` followed by the whole checkpoint body.
    public static func message(checkpointText: String, timestamp: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(timestamp)\n".utf8) + Array(checkpointText.utf8)
    }

    static func bigEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }

    /// The cosignatures among `signatureLines` (note signature lines, newline-terminated,
    /// as in a signed note's signature block or a witness's response) that verify over
    /// `checkpointText` under `witnesses`. Lines from unknown keys are ignored (spec: MUST
    /// ignore); a line from a trusted key that does not verify throws, because it means the
    /// cosignature or the checkpoint was altered. One result per witness key.
    public static func verify(checkpointText: String, signatureLines: String,
                              witnesses: [CosignerKey]) throws(SignedNoteError) -> [VerifiedCosignature] {
        let bytes = Array(signatureLines.utf8)
        guard bytes.count <= Limits.maxSignedNoteBytes else { throw .tooLarge(bytes: bytes.count, limit: Limits.maxSignedNoteBytes) }
        guard bytes.isEmpty || bytes.last == SignedNote.newline else {
            throw .malformedNote(line: nil, reason: "signature lines must end with a newline")
        }
        var result: [VerifiedCosignature] = []
        var line = 0
        for content in bytes.split(separator: SignedNote.newline, omittingEmptySubsequences: false).dropLast() {
            line += 1
            guard line <= Limits.maxSignedNoteSignatures else { throw .tooManySignatures(limit: Limits.maxSignedNoteSignatures) }
            let sig = try SignedNote.parseSignatureLine(content, line: line)
            guard let key = witnesses.first(where: { $0.name == sig.name && $0.keyHash == sig.keyHash }) else { continue }
            guard sig.signature.count == 8 + Ed25519PublicKey.signatureByteCount else {
                throw .invalidSignature(name: sig.name, keyHash: sig.keyHash)
            }
            let timestamp = sig.signature[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard timestamp <= UInt64(Int64.max),
                  key.publicKey.verify(signature: Array(sig.signature[8...]),
                                       message: message(checkpointText: checkpointText, timestamp: timestamp)) else {
                throw .invalidSignature(name: sig.name, keyHash: sig.keyHash)
            }
            guard !result.contains(where: { $0.key == key }) else { continue }
            result.append(VerifiedCosignature(key: key, timestamp: timestamp, line: String(decoding: content, as: UTF8.self)))
        }
        return result
    }

    /// Splits a signed note into its body and its signature block (both newline-terminated).
    public static func split(note: String) throws(SignedNoteError) -> (text: String, signatures: String) {
        let bytes = Array(note.utf8)
        guard let blank = SignedNote.lastBlankLine(bytes) else {
            throw .malformedNote(line: nil, reason: "no blank line before the signatures")
        }
        return (String(decoding: bytes[...blank], as: UTF8.self), String(decoding: bytes[(blank + 2)...], as: UTF8.self))
    }
}
