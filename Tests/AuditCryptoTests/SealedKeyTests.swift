import AuditCore
import AuditCrypto
import Foundation
import Testing

@Suite struct SealedKeyTests {
    static let password = "Shift-B lead, line 4"

    static func sealedFile(_ key: Ed25519PrivateKey = .generate()) throws -> [UInt8] {
        try SealedKey.seal(key, password: password, parameters: .testing)
    }

    @Test func sealAndOpenRoundTrip() throws {
        let key = Ed25519PrivateKey.generate()
        let file = try Self.sealedFile(key)
        let opened = try SealedKey.open(file, password: Self.password, source: "k.json")
        #expect(opened.publicKey == key.publicKey)
        #expect(opened.seed == key.seed)
        let message = Array("approve change 42".utf8)
        #expect(key.publicKey.verify(signature: opened.sign(message), message: message))
    }

    @Test func fileIsTheDocumentedFormat() throws {
        let key = Ed25519PrivateKey.generate()
        let file = try Self.sealedFile(key)
        #expect(file.last == UInt8(ascii: "\n"))
        let object = try JSONRoundTrip.object(file)
        #expect(Set(object.keys) == ["format", "keyId", "publicKey", "kdf", "cipher", "nonce", "ciphertext"])
        #expect(object["format"] as? String == "auditctl-sealed-key/v1")
        #expect(object["cipher"] as? String == "xsalsa20poly1305")
        #expect(object["keyId"] as? String == key.publicKey.keyID.prefixed)
        #expect(object["publicKey"] as? String == key.publicKey.base64)
        let kdf = object["kdf"] as? [String: Any] ?? [:]
        #expect(kdf["alg"] as? String == "argon2id13")
        #expect((kdf["opsLimit"] as? NSNumber)?.intValue == 1)
        #expect((kdf["memLimit"] as? NSNumber)?.intValue == 8192)
        // The seed never appears in clear.
        let seedB64 = Data(key.seed).base64EncodedString()
        #expect(!String(decoding: file, as: UTF8.self).contains(seedB64))
        // Two seals of the same key differ (fresh salt and nonce).
        #expect(try Self.sealedFile(key) != file)
    }

    @Test func wrongPasswordIsReportedAsSuch() throws {
        let file = try Self.sealedFile()
        for wrong in ["", "shift-B lead, line 4", Self.password + " "] {
            #expect(throws: SealedKeyError.wrongPassword(source: "k.json")) {
                try SealedKey.open(file, password: wrong, source: "k.json")
            }
        }
    }

    @Test func tamperedCiphertextOrNonceFailsAuthentication() throws {
        let file = try Self.sealedFile()
        for field in ["ciphertext", "nonce"] {
            var object = try JSONRoundTrip.object(file)
            var raw = [UInt8](Data(base64Encoded: object[field] as? String ?? "") ?? Data())
            raw[raw.count / 2] ^= 0x01
            object[field] = Data(raw).base64EncodedString()
            #expect(throws: SealedKeyError.wrongPassword(source: "k")) {
                try SealedKey.open(try JSONRoundTrip.bytes(object), password: Self.password, source: "k")
            }
        }
    }

    @Test func truncatedFilesAreMalformed() throws {
        let file = try Self.sealedFile()
        // Every proper prefix is malformed (never wrongPassword, never a crash).
        for length in 0..<file.count - 1 {
            do {
                _ = try SealedKey.open(Array(file.prefix(length)), password: Self.password, source: "k")
                Issue.record("prefix of \(length) bytes opened")
            } catch {
                guard case .malformed(source: "k", field: _, reason: _) = error else {
                    Issue.record("prefix of \(length) bytes: \(error)")
                    continue
                }
            }
        }
    }

    @Test func garbageIsMalformedForTheWholeFile() {
        for garbage: [UInt8] in [[], [0xFF, 0x00, 0x12], Array("not json".utf8), Array("[1,2]".utf8), Array("null".utf8)] {
            #expect(throws: SealedKeyError.self) { try SealedKey.open(garbage, password: "x", source: "g") }
            do { _ = try SealedKey.open(garbage, password: "x", source: "g") } catch {
                if case .malformed(_, let field, _) = error { #expect(field == "(file)") } else { Issue.record("\(error)") }
            }
        }
        let huge = [UInt8](repeating: UInt8(ascii: " "), count: Limits.maxSealedKeyFileBytes + 1)
        #expect(throws: SealedKeyError.malformed(source: "g", field: "(file)",
                                                 reason: "file is \(huge.count) bytes; a sealed key is at most \(Limits.maxSealedKeyFileBytes)")) {
            try SealedKey.open(huge, password: "x", source: "g")
        }
    }

    /// Each edit must be reported as malformed naming exactly `field`.
    @Test(arguments: [
        ("format", "remove"), ("keyId", "remove"), ("publicKey", "remove"), ("kdf", "remove"),
        ("cipher", "remove"), ("nonce", "remove"), ("ciphertext", "remove"),
        ("kdf.alg", "remove"), ("kdf.opsLimit", "remove"), ("kdf.memLimit", "remove"), ("kdf.salt", "remove"),
        ("format", "auditctl-sealed-key/v2"), ("cipher", "aes-gcm"), ("kdf.alg", "scrypt"),
        ("kdf.salt", "AAAA"), ("nonce", "AAAA"), ("ciphertext", "AAAA"), ("publicKey", "AAAA"),
        ("nonce", "!!!!"), ("keyId", "sha256:XYZ"), ("kdf.memLimit", "number:1024"),
        ("kdf.memLimit", "number:4294967296"), ("kdf.opsLimit", "number:0"), ("kdf.opsLimit", "number:1000"),
        ("kdf.opsLimit", "number:-1"), ("kdf.memLimit", "fraction"), ("kdf.salt", "number:5"), ("format", "number:1"),
        ("extra", "unknown"), ("kdf.extra", "unknown"),
    ])
    func eachBadFieldIsNamed(_ field: String, _ edit: String) throws {
        var object = try JSONRoundTrip.object(try Self.sealedFile())
        let path = field.split(separator: ".").map(String.init)
        let value: Any? = switch edit {
        case "remove": nil
        case "unknown": "surprise"
        case "fraction": NSNumber(value: 8192.5)
        case let e where e.hasPrefix("number:"): NSNumber(value: Int64(e.dropFirst(7)) ?? 0)
        default: edit
        }
        if path.count == 1 {
            object[path[0]] = value
        } else {
            var inner = object[path[0]] as? [String: Any] ?? [:]
            inner[path[1]] = value
            object[path[0]] = inner
        }
        let bytes = try JSONRoundTrip.bytes(object)
        do {
            _ = try SealedKey.open(bytes, password: Self.password, source: "edited.json")
            Issue.record("edited file opened")
        } catch {
            guard case let .malformed(source, reportedField, _) = error else {
                Issue.record("expected malformed \(field), got \(error)")
                return
            }
            #expect(source == "edited.json")
            #expect(reportedField == field)
        }
    }

    @Test func splicedPublicKeyOrKeyIdIsAMismatch() throws {
        let file = try Self.sealedFile()
        let other = Ed25519PrivateKey.generate().publicKey

        var keyIdOnly = try JSONRoundTrip.object(file)
        keyIdOnly["keyId"] = other.keyID.prefixed
        #expect(throws: SealedKeyError.mismatch(source: "k", field: "keyId")) {
            try SealedKey.open(try JSONRoundTrip.bytes(keyIdOnly), password: Self.password, source: "k")
        }

        var both = try JSONRoundTrip.object(file)
        both["keyId"] = other.keyID.prefixed
        both["publicKey"] = other.base64
        #expect(throws: SealedKeyError.mismatch(source: "k", field: "publicKey")) {
            try SealedKey.open(try JSONRoundTrip.bytes(both), password: Self.password, source: "k")
        }
    }

    @Test func sealRefusesUnusableParameters() {
        #expect(throws: SealedKeyError.self) {
            try SealedKey.seal(.generate(), password: "pw", parameters: Argon2Parameters(opsLimit: 0, memLimit: 8192))
        }
        #expect(throws: SealedKeyError.self) {
            try SealedKey.seal(.generate(), password: "pw",
                               parameters: Argon2Parameters(opsLimit: 1, memLimit: Limits.maxArgon2MemLimitBytes * 2))
        }
    }
}
