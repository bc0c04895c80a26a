#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AuditCore

/// A sealed key file decoded and checked field by field, ready to decrypt. Every
/// failure names the JSON field at fault.
struct SealedKeyFields {
    let publicKey: Ed25519PublicKey
    let parameters: Argon2Parameters
    let salt: [UInt8]
    let nonce: [UInt8]
    let ciphertext: [UInt8]

    static func parse(_ bytes: [UInt8], source: String) throws(SealedKeyError) -> SealedKeyFields {
        func malformed(_ field: String, _ reason: String) -> SealedKeyError {
            .malformed(source: source, field: field, reason: reason)
        }
        guard bytes.count <= Limits.maxSealedKeyFileBytes else {
            throw malformed("(file)", "file is \(bytes.count) bytes; a sealed key is at most \(Limits.maxSealedKeyFileBytes)")
        }
        let doc: SealedKeyDocument
        do {
            doc = try JSONDecoder().decode(SealedKeyDocument.self, from: Data(bytes))
        } catch let error as FieldError {
            throw malformed(error.path.joined(separator: "."), error.reason)
        } catch let error as DecodingError {
            throw describe(error, source: source)
        } catch {
            throw malformed("(file)", "not valid JSON")
        }

        func required<T>(_ value: T?, _ field: String) throws(SealedKeyError) -> T {
            guard let value else { throw malformed(field, "missing") }
            return value
        }
        func base64(_ value: String?, _ field: String, count: Int) throws(SealedKeyError) -> [UInt8] {
            let text = try required(value, field)
            guard let raw = Base64.decode(text) else { throw malformed(field, "not canonical base64") }
            guard raw.count == count else { throw malformed(field, "must be \(count) bytes, got \(raw.count)") }
            return raw
        }

        let format = try required(doc.format, "format")
        guard format == SealedKey.formatName else {
            throw malformed("format", "unsupported format \"\(format)\" (expected \(SealedKey.formatName))")
        }
        let cipher = try required(doc.cipher, "cipher")
        guard cipher == SealedKey.cipherName else { throw malformed("cipher", "unsupported cipher \"\(cipher)\"") }
        let kdf = try required(doc.kdf, "kdf")
        let alg = try required(kdf.alg, "kdf.alg")
        guard alg == SealedKey.kdfName else { throw malformed("kdf.alg", "unsupported KDF \"\(alg)\"") }
        let parameters = Argon2Parameters(opsLimit: try required(kdf.opsLimit, "kdf.opsLimit"),
                                          memLimit: try required(kdf.memLimit, "kdf.memLimit"))
        if let v = parameters.rangeViolation { throw malformed("kdf." + v.field, v.reason) }
        let salt = try base64(kdf.salt, "kdf.salt", count: Argon2id.saltByteCount)
        let nonce = try base64(doc.nonce, "nonce", count: SealedKey.nonceByteCount)
        let ciphertext = try base64(doc.ciphertext, "ciphertext", count: SealedKey.ciphertextByteCount)
        let publicKey: Ed25519PublicKey
        do {
            publicKey = try Ed25519PublicKey(rawBytes: try base64(doc.publicKey, "publicKey", count: Ed25519PublicKey.byteCount))
        } catch let error as SealedKeyError {
            throw error
        } catch {
            throw malformed("publicKey", "\(error)")
        }
        let keyIdText = try required(doc.keyId, "keyId")
        guard let keyId = Digest(prefixed: keyIdText) else { throw malformed("keyId", "must be sha256:<64 lowercase hex>") }
        guard keyId == publicKey.keyID else { throw .mismatch(source: source, field: "keyId") }
        return SealedKeyFields(publicKey: publicKey, parameters: parameters, salt: salt, nonce: nonce,
                               ciphertext: ciphertext)
    }

    /// Maps a JSONDecoder failure to the field it happened at.
    private static func describe(_ error: DecodingError, source: String) -> SealedKeyError {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map(\.stringValue).joined(separator: ".")
            return p.isEmpty ? "(file)" : p
        }
        switch error {
        case let .typeMismatch(type, context):
            return .malformed(source: source, field: path(context), reason: "expected \(type)")
        case let .valueNotFound(type, context):
            return .malformed(source: source, field: path(context), reason: "expected \(type), found null")
        case let .keyNotFound(key, context):
            let p = path(context)
            return .malformed(source: source, field: p == "(file)" ? key.stringValue : p + "." + key.stringValue,
                              reason: "missing")
        case let .dataCorrupted(context):
            let p = path(context)
            return .malformed(source: source, field: p, reason: p == "(file)" ? "not valid JSON" : "invalid value")
        @unknown default:
            return .malformed(source: source, field: "(file)", reason: "not a sealed key document")
        }
    }
}
