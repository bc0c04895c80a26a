import AuditCore
import CCrypto

/// An ECDSA public key on NIST P-256, for verifying signatures made by OpenSSF
/// model-signing and other sigstore-style tools that do not use Ed25519.
/// Held as its DER SubjectPublicKeyInfo, so it is a plain value and its id is stable.
public struct ECDSAP256PublicKey: Hashable, Sendable {
    /// DER-encoded SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), as re-encoded by libcrypto.
    public let spkiDER: [UInt8]

    /// SHA-256 of the DER SubjectPublicKeyInfo (the usual fingerprint of such keys).
    public var keyID: Digest { SHA256.hash(spkiDER) }

    /// Parses a `-----BEGIN PUBLIC KEY-----` PEM document; only P-256 EC keys are accepted.
    public init(pem: String) throws(KeyFormatError) {
        let text = Array(pem.utf8)
        guard text.count <= Limits.maxPEMBytes else {
            throw .invalidPEM(reason: "document is \(text.count) bytes; limit is \(Limits.maxPEMBytes)")
        }
        defer { ERR_clear_error() }
        guard let bio = BIO_new_mem_buf(text, Int32(text.count)) else { throw .invalidPEM(reason: "out of memory") }
        defer { BIO_free(bio) }
        guard let pkey = PEM_read_bio_PUBKEY(bio, nil, nil, nil) else {
            throw .invalidPEM(reason: "no PUBLIC KEY block with a valid SubjectPublicKeyInfo")
        }
        defer { EVP_PKEY_free(pkey) }
        try Self.requireP256(pkey)
        spkiDER = try Self.encode(pkey)
    }

    /// Parses a DER SubjectPublicKeyInfo; trailing bytes or non-P-256 keys are rejected.
    public init(derSPKI der: [UInt8]) throws(KeyFormatError) {
        guard !der.isEmpty, der.count <= Limits.maxPEMBytes else { throw .invalidPEM(reason: "DER key empty or too large") }
        defer { ERR_clear_error() }
        guard let pkey = Self.decode(der) else { throw .invalidPEM(reason: "not a DER SubjectPublicKeyInfo") }
        defer { EVP_PKEY_free(pkey) }
        try Self.requireP256(pkey)
        let canonical = try Self.encode(pkey)
        guard canonical == der else { throw .invalidPEM(reason: "non-canonical DER or trailing bytes") }
        spkiDER = canonical
    }

    /// Whether `derSignature` (an ASN.1 ECDSA-Sig-Value) is valid for SHA-256(`message`).
    /// Malformed signatures are simply invalid.
    public func verify(derSignature: [UInt8], message: [UInt8]) -> Bool {
        defer { ERR_clear_error() }
        guard !derSignature.isEmpty, derSignature.count <= 256,
              let pkey = Self.decode(spkiDER) else { return false }
        defer { EVP_PKEY_free(pkey) }
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestVerifyInit(ctx, nil, EVP_sha256(), nil, pkey) == 1 else { return false }
        return EVP_DigestVerify(ctx, derSignature, derSignature.count, message, message.count) == 1
    }

    private static func requireP256(_ pkey: OpaquePointer) throws(KeyFormatError) {
        guard EVP_PKEY_is_a(pkey, "EC") == 1 else { throw .unsupportedKey("not an EC key (only ECDSA P-256 is accepted)") }
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_group_name(pkey, &name, name.count, &length) == 1 else {
            throw .unsupportedKey("EC key without a named curve")
        }
        let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard curve == "prime256v1" || curve == "P-256" else {
            throw .unsupportedKey("curve \(curve) (only P-256 is accepted)")
        }
    }

    private static func encode(_ pkey: OpaquePointer) throws(KeyFormatError) -> [UInt8] {
        let length = i2d_PUBKEY(pkey, nil)
        guard length > 0 else { throw .invalidPEM(reason: "cannot encode the key") }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(pkey, &cursor)
        }
        guard written == length else { throw .invalidPEM(reason: "cannot encode the key") }
        return out
    }

    private static func decode(_ der: [UInt8]) -> OpaquePointer? {
        der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
    }
}
