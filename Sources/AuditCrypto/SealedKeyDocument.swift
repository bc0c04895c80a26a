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
            opsLimit = try c.decodeIfPresent(UInt64.self, forKey: .opsLimit)
            memLimit = try c.decodeIfPresent(Int.self, forKey: .memLimit)
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

/// Thrown while decoding when an object has a key the format does not define.
struct UnknownFieldError: Error {
    let path: [String]
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
        throw UnknownFieldError(path: decoder.codingPath.map(\.stringValue) + [extra.stringValue])
    }
}
