#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AuditCore
import CSodium

/// Ed25519 private keys at rest, encrypted under the owner's password.
///
/// File format `auditctl-sealed-key/v1`: one JSON object (UTF-8, keys sorted on output,
/// unknown keys rejected on input), all binary values standard padded base64:
/// ```
/// {"cipher":"xsalsa20poly1305",
///  "ciphertext":"<48 bytes: Poly1305 tag (16) ‖ encrypted 32-byte Ed25519 seed>",
///  "format":"auditctl-sealed-key/v1",
///  "kdf":{"alg":"argon2id13","memLimit":<bytes>,"opsLimit":<passes>,"salt":"<16 bytes>"},
///  "keyId":"sha256:<hex of SHA-256(public key)>",
///  "nonce":"<24 bytes>",
///  "publicKey":"<32 bytes>"}
/// ```
/// Sealing key = Argon2id(password, salt, opsLimit, memLimit) → 32 bytes; the seed is
/// encrypted with libsodium `crypto_secretbox_easy` (XSalsa20-Poly1305). The public key
/// and key id stay readable so a key can be identified without the password; after
/// decryption both are checked against the key actually recovered.
public enum SealedKey {
    public static let formatName = "auditctl-sealed-key/v1"
    static let kdfName = "argon2id13"
    static let cipherName = "xsalsa20poly1305"
    static let nonceByteCount = Int(crypto_secretbox_noncebytes())
    static let keyByteCount = Int(crypto_secretbox_keybytes())
    static let ciphertextByteCount = Int(crypto_secretbox_macbytes()) + Ed25519PrivateKey.seedByteCount

    /// The sealed file's bytes (JSON, newline-terminated) for `key` under `password`.
    public static func seal(_ key: Ed25519PrivateKey, password: String,
                            parameters: Argon2Parameters) throws(SealedKeyError) -> [UInt8] {
        if let v = parameters.rangeViolation { throw .invalidParameters(field: v.field, reason: v.reason) }
        let salt = SecureRandom.bytes(Argon2id.saltByteCount)
        let nonce = SecureRandom.bytes(nonceByteCount)
        var boxKey = try deriveBoxKey(password: password, salt: salt, parameters: parameters)
        defer { Sodium.wipe(&boxKey) }
        var seed = key.seed
        defer { Sodium.wipe(&seed) }
        var ciphertext = [UInt8](repeating: 0, count: ciphertextByteCount)
        _ = crypto_secretbox_easy(&ciphertext, seed, UInt64(seed.count), nonce, boxKey)

        let document = SealedKeyDocument(
            format: formatName,
            keyId: key.publicKey.keyID.prefixed,
            publicKey: key.publicKey.base64,
            kdf: .init(alg: kdfName, opsLimit: parameters.opsLimit, memLimit: parameters.memLimit,
                       salt: Base64.encode(salt)),
            cipher: cipherName,
            nonce: Base64.encode(nonce),
            ciphertext: Base64.encode(ciphertext))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(document)) + [UInt8(ascii: "\n")]
        } catch {
            // Only strings and integers are encoded; JSONEncoder cannot fail on them.
            throw .malformed(source: "(seal)", field: "(file)", reason: "JSON encoding failed: \(error)")
        }
    }

    /// The private key in `fileBytes`, decrypted with `password`. `source` names the file
    /// in errors. Structure, sizes and cost bounds are all checked before any Argon2id work.
    public static func open(_ fileBytes: [UInt8], password: String,
                            source: String) throws(SealedKeyError) -> Ed25519PrivateKey {
        let file = try SealedKeyFields.parse(fileBytes, source: source)
        var boxKey = try deriveBoxKey(password: password, salt: file.salt, parameters: file.parameters)
        defer { Sodium.wipe(&boxKey) }
        var seed = [UInt8](repeating: 0, count: Ed25519PrivateKey.seedByteCount)
        defer { Sodium.wipe(&seed) }
        let rc = crypto_secretbox_open_easy(&seed, file.ciphertext, UInt64(file.ciphertext.count),
                                            file.nonce, boxKey)
        guard rc == 0 else { throw .wrongPassword(source: source) }
        let key: Ed25519PrivateKey
        do { key = try Ed25519PrivateKey(seed: seed) } catch {
            throw .malformed(source: source, field: "ciphertext", reason: "\(error)")
        }
        guard key.publicKey == file.publicKey else { throw .mismatch(source: source, field: "publicKey") }
        return key
    }

    private static func deriveBoxKey(password: String, salt: [UInt8],
                                      parameters: Argon2Parameters) throws(SealedKeyError) -> [UInt8] {
        do {
            return try Argon2id.deriveKey(password: password, salt: salt, parameters: parameters,
                                          length: keyByteCount)
        } catch {
            switch error {
            case let .parametersOutOfRange(field, reason): throw .invalidParameters(field: field, reason: reason)
            default: throw .kdfFailed(reason: error.description)
            }
        }
    }
}
