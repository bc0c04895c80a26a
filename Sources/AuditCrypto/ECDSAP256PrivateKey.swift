import AuditCore
import CCrypto

/// An ECDSA P-256 private key read from an unencrypted PEM file (PKCS#8 `PRIVATE KEY` or SEC1
/// `EC PRIVATE KEY`, as `openssl ecparam -genkey` and model-signing's examples make them).
/// Used for a bundle's producer signature, so that OpenSSF model-signing and sigstore
/// tooling (which have no Ed25519) can verify `model.sig` themselves.
public struct ECDSAP256PrivateKey: Sendable {
    /// DER PKCS#8 of the key; parsed again for each signature so the value stays Sendable
    /// without holding an OpenSSL handle.
    private let pkcs8: [UInt8]
    public let publicKey: ECDSAP256PublicKey

    public init(pem: String) throws(KeyFormatError) {
        let text = Array(pem.utf8)
        guard text.count <= Limits.maxPEMBytes else {
            throw .invalidPEM(reason: "document is \(text.count) bytes; limit is \(Limits.maxPEMBytes)")
        }
        defer { ERR_clear_error() }
        guard let bio = BIO_new_mem_buf(text, Int32(text.count)) else { throw .invalidPEM(reason: "out of memory") }
        defer { BIO_free(bio) }
        // A nil password callback with an empty user pointer makes an encrypted key fail
        // instead of prompting on the terminal.
        let empty = Array("".utf8CString)
        let pkey = empty.withUnsafeBufferPointer { p in
            PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: p.baseAddress))
        }
        guard let pkey else {
            throw .invalidPEM(reason: "no unencrypted PRIVATE KEY or EC PRIVATE KEY block (encrypted keys are not read)")
        }
        defer { EVP_PKEY_free(pkey) }
        let spki = try Self.publicDER(pkey)
        publicKey = try ECDSAP256PublicKey(derSPKI: spki)
        let length = i2d_PrivateKey(pkey, nil)
        guard length > 0 else { throw .invalidPEM(reason: "cannot encode the private key") }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PrivateKey(pkey, &cursor)
        }
        guard written == length else { throw .invalidPEM(reason: "cannot encode the private key") }
        pkcs8 = out
    }

    /// An ASN.1 DER ECDSA-Sig-Value over SHA-256(`message`), what model-signing writes.
    public func sign(_ message: [UInt8]) throws(KeyFormatError) -> [UInt8] {
        defer { ERR_clear_error() }
        let decoded = pkcs8.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let pkey = decoded else { throw .invalidPEM(reason: "private key no longer decodes") }
        defer { EVP_PKEY_free(pkey) }
        guard let ctx = EVP_MD_CTX_new() else { throw .invalidPEM(reason: "out of memory") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, EVP_sha256(), nil, pkey) == 1 else { throw .unsupportedKey("cannot sign with this key") }
        var length = 0
        guard EVP_DigestSign(ctx, nil, &length, message, message.count) == 1 else { throw .unsupportedKey("cannot sign with this key") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(ctx, &signature, &length, message, message.count) == 1 else {
            throw .unsupportedKey("signing failed")
        }
        return Array(signature.prefix(length))
    }

    private static func publicDER(_ pkey: OpaquePointer) throws(KeyFormatError) -> [UInt8] {
        let length = i2d_PUBKEY(pkey, nil)
        guard length > 0 else { throw .unsupportedKey("not a public-key algorithm") }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(pkey, &cursor)
        }
        guard written == length else { throw .invalidPEM(reason: "cannot encode the public key") }
        return out
    }
}

extension ECDSAP256PublicKey {
    /// The PEM SubjectPublicKeyInfo with 64-column base64 lines and a final newline: byte for
    /// byte what Python's `cryptography` writes, so SHA-256 of it is model-signing's key hint.
    public var pem: String {
        let b64 = Base64.encode(spkiDER)
        var lines = ["-----BEGIN PUBLIC KEY-----"]
        var i = b64.startIndex
        while i < b64.endIndex {
            let j = b64.index(i, offsetBy: 64, limitedBy: b64.endIndex) ?? b64.endIndex
            lines.append(String(b64[i..<j]))
            i = j
        }
        lines.append("-----END PUBLIC KEY-----")
        return lines.joined(separator: "\n") + "\n"
    }

    /// model-signing's `verificationMaterial.publicKey.hint`: hex SHA-256 of `pem`.
    public var modelSigningHint: String { SHA256.hash(Array(pem.utf8)).hex }
}
