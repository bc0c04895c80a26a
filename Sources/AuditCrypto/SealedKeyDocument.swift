/// The JSON shape of a sealed key file (format documented on `SealedKey`). Every field is
/// optional here so that a missing one is reported by name instead of as a generic
/// decoding failure; unknown fields are rejected so a typo cannot be silently ignored.
struct SealedKeyDocument: Codable {
    struct KDF: Codable {
        var alg: String?
        var opsLimit: UInt64?
        var memLimit: Int?
        var salt: String?

        init(alg: String, opsLimit: UInt64, memLimit: Int, salt: String) {
            self.alg = alg; self.opsLimit = opsLimit; self.memLimit = memLimit; self.salt = salt
        }

        private enum CodingKeys: String, CodingKey, CaseIterable { case alg, opsLimit, memLimit, salt }

        init(from decoder: any Decoder) throws {
            try rejectUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            alg = try c.decodeIfPresent(String.self, forKey: .alg)
            opsLimit = try decodeCount(c, .opsLimit, decoder).map(UInt64.init)
            memLimit = try decodeCount(c, .memLimit, decoder).map(Int.init)
            salt = try c.decodeIfPresent(String.self, forKey: .salt)
        }
    }

    var format: String?
    var keyId: String?
    var publicKey: String?
    var kdf: KDF?
    var cipher: String?
    var nonce: String?
    var ciphertext: String?

    init(format: String, keyId: String, publicKey: String, kdf: KDF, cipher: String,
         nonce: String, ciphertext: String) {
        self.format = format; self.keyId = keyId; self.publicKey = publicKey; self.kdf = kdf
        self.cipher = cipher; self.nonce = nonce; self.ciphertext = ciphertext
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case format, keyId, publicKey, kdf, cipher, nonce, ciphertext
    }

    init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        keyId = try c.decodeIfPresent(String.self, forKey: .keyId)
        publicKey = try c.decodeIfPresent(String.self, forKey: .publicKey)
        kdf = try c.decodeIfPresent(KDF.self, forKey: .kdf)
        cipher = try c.decodeIfPresent(String.self, forKey: .cipher)
        nonce = try c.decodeIfPresent(String.self, forKey: .nonce)
        ciphertext = try c.decodeIfPresent(String.self, forKey: .ciphertext)
    }
}

/// Thrown while decoding when an object has a key the format does not define, or a value
/// of the right JSON type but an impossible value. JSONDecoder itself reports a number it
/// cannot convert (-1 into UInt64) as "not valid JSON" with no path, so counts are
/// decoded as Double and checked here to keep the field name in the error.
struct FieldError: Error {
    let path: [String]
    let reason: String
}

/// A non-negative integer below 2^53 (exactly representable, far above any real cost).
private func decodeCount<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K,
                                       _ decoder: any Decoder) throws -> Int64? {
    guard let value = try c.decodeIfPresent(Double.self, forKey: key) else { return nil }
    guard value >= 0, value < 9_007_199_254_740_992, value.rounded(.towardZero) == value else {
        throw FieldError(path: decoder.codingPath.map(\.stringValue) + [key.stringValue],
                         reason: "must be a non-negative integer")
    }
    return Int64(value)
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

private func rejectUnknownKeys(_ decoder: any Decoder, known: [String]) throws {
    let c = try decoder.container(keyedBy: AnyKey.self)
    if let extra = c.allKeys.first(where: { !known.contains($0.stringValue) }) {
        throw FieldError(path: decoder.codingPath.map(\.stringValue) + [extra.stringValue], reason: "unknown field")
    }
}
