import AuditCore
import CSodium

/// Password verifiers stored as libsodium's encoded Argon2id strings
/// (`$argon2id$v=19$m=<KiB>,t=<passes>,p=1$<salt>$<hash>`), which carry their own salt
/// and cost so parameters can be raised later without breaking old records.
public enum PasswordHash {
    /// A fresh encoded hash of `password` with a random salt.
    public static func make(password: String, parameters: Argon2Parameters) throws(PasswordHashError) -> String {
        let p = try parameters.validated()
        var pw = try passwordBytes(password)
        defer { Sodium.wipe(&pw) }
        Sodium.ensureInitialized()
        var out = [CChar](repeating: 0, count: Int(crypto_pwhash_argon2id_strbytes()))
        let rc = crypto_pwhash_str_alg(&out, pw, UInt64(pw.count), p.opsLimit, p.memLimit,
                                       crypto_pwhash_alg_argon2id13())
        guard rc == 0 else { throw .hashingFailed }
        let bytes = out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `password` matches `encoded`. False, never an error, for a wrong password,
    /// a malformed string, a non-Argon2id string, or costs beyond Limits (so a tampered
    /// record cannot make verification allocate gigabytes).
    public static func verify(password: String, encoded: String) -> Bool {
        guard let cost = encodedParameters(encoded), cost.rangeViolation == nil,
              var pw = try? passwordBytes(password) else { return false }
        defer { Sodium.wipe(&pw) }
        Sodium.ensureInitialized()
        return crypto_pwhash_argon2id_str_verify(encoded, pw, UInt64(pw.count)) == 0
    }

    /// Whether `encoded` was made with costs other than `parameters` (or is not a valid
    /// Argon2id string at all), i.e. should be replaced at the next successful login.
    public static func needsRehash(encoded: String, parameters: Argon2Parameters) -> Bool {
        guard encodedParameters(encoded) != nil else { return true }
        Sodium.ensureInitialized()
        return crypto_pwhash_argon2id_str_needs_rehash(encoded, parameters.opsLimit, parameters.memLimit) != 0
    }

    /// The costs written in an encoded string, or nil if it is not `$argon2id$v=19$m=…,t=…,p=…$`.
    static func encodedParameters(_ encoded: String) -> Argon2Parameters? {
        guard encoded.utf8.count < Int(crypto_pwhash_argon2id_strbytes()) else { return nil }
        let prefix = "$argon2id$v=19$"
        guard encoded.hasPrefix(prefix) else { return nil }
        let fields = encoded.dropFirst(prefix.count).split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 3 else { return nil }
        var memKiB: UInt64?, passes: UInt64?
        for part in fields[0].split(separator: ",", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, !kv[1].isEmpty, kv[1].utf8.count <= 10,
                  kv[1].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let value = UInt64(kv[1]) else { return nil }
            switch kv[0] {
            case "m": memKiB = value
            case "t": passes = value
            case "p": guard value == 1 else { return nil }   // libsodium only makes p=1
            default: return nil
            }
        }
        guard let m = memKiB, let t = passes, m <= UInt64(Int.max / 1024) else { return nil }
        return Argon2Parameters(opsLimit: t, memLimit: Int(m) * 1024)
    }

    static func passwordBytes(_ password: String) throws(PasswordHashError) -> [UInt8] {
        let bytes = Array(password.utf8)
        guard bytes.count <= Limits.maxPasswordBytes else {
            throw .passwordTooLong(bytes: bytes.count, limit: Limits.maxPasswordBytes)
        }
        return bytes
    }
}

/// Raw Argon2id key derivation (libsodium crypto_pwhash), for keys that encrypt data
/// such as sealed private-key files.
public enum Argon2id {
    public static let saltByteCount = Int(crypto_pwhash_argon2id_saltbytes())

    /// `length` bytes derived from `password` and a `saltByteCount`-byte salt.
    /// The caller owns the result and should wipe it after use.
    public static func deriveKey(password: [UInt8], salt: [UInt8], parameters: Argon2Parameters,
                                 length: Int) throws(PasswordHashError) -> [UInt8] {
        let p = try parameters.validated()
        guard salt.count == saltByteCount else {
            throw .invalidArgument("salt must be \(saltByteCount) bytes, got \(salt.count)")
        }
        let minLength = Int(crypto_pwhash_argon2id_bytes_min())
        guard length >= minLength, length <= 1024 else {
            throw .invalidArgument("key length must be \(minLength)...1024 bytes, got \(length)")
        }
        guard password.count <= Limits.maxPasswordBytes else {
            throw .passwordTooLong(bytes: password.count, limit: Limits.maxPasswordBytes)
        }
        Sodium.ensureInitialized()
        var key = [UInt8](repeating: 0, count: length)
        let rc = crypto_pwhash_argon2id(&key, UInt64(length), password,
                                        UInt64(password.count), salt, p.opsLimit, p.memLimit,
                                        crypto_pwhash_argon2id_alg_argon2id13())
        guard rc == 0 else {
            Sodium.wipe(&key)
            throw .hashingFailed
        }
        return key
    }

    public static func deriveKey(password: String, salt: [UInt8], parameters: Argon2Parameters,
                                 length: Int) throws(PasswordHashError) -> [UInt8] {
        var pw = Array(password.utf8)
        defer { Sodium.wipe(&pw) }
        return try deriveKey(password: pw, salt: salt, parameters: parameters, length: length)
    }
}
