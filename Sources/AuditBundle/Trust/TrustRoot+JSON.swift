import AuditCore
import AuditCrypto
import Foundation

/// The trust-root file: JSON, `"version": 1`, unknown fields refused, every key checked
/// (key ids must match their keys, times must be RFC 3339 UTC, the embedded policy must hash
/// to its digest, witness keys must parse and name themselves, the quorum must be reachable).
/// `auditctl trust-root export` writes it; `verify-bundle --trust-root` reads it. The witness
/// fields are optional and written only when set, so a trust root without witnesses reads and
/// writes byte for byte as before.
extension TrustRoot {
    public static func read(path: String) throws(BundleInputError) -> TrustRoot {
        try parse(BoundedFile.read(path: path, limit: Limits.maxTrustRootBytes, what: "trust root"), file: path)
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(BundleInputError) -> TrustRoot {
        let value = try StrictObject.parseDocument(bytes, file: file, maxBytes: Limits.maxTrustRootBytes)
        let top = StrictObject(value, file: file, field: "")
        try top.allowOnly(["version", "log", "signers", "producers", "approvalPolicy", "witnesses", "witnessQuorum"])
        let version = try top.int("version")
        guard version == formatVersion else {
            throw top.fail("version", "unsupported trust-root version \(version) (this auditctl reads \(formatVersion))")
        }
        let log = try parseLog(try top.value("log"), file: file)
        let signerList = try top.array("signers")
        guard signerList.count <= Limits.maxTrustRootSigners else {
            throw .tooLarge(path: file, what: "signers (\(signerList.count))", limit: Limits.maxTrustRootSigners)
        }
        var signers: [Signer] = []
        for (i, item) in signerList.enumerated() {
            let signer = try parseSigner(item, file: file, field: "signers[\(i)]")
            if signers.contains(where: { $0.keyID == signer.keyID }) {
                throw .malformed(path: file, field: "signers[\(i)].keyId", reason: "key listed twice")
            }
            signers.append(signer)
        }
        var producers: [Producer] = []
        if top.object["producers"] != nil {
            for (i, item) in try top.array("producers").prefix(Limits.maxTrustRootSigners).enumerated() {
                let p = StrictObject(item, file: file, field: "producers[\(i)]")
                try p.allowOnly(["name", "publicKeyPem"])
                let name = try p.string("name")
                let pem = try p.string("publicKeyPem")
                do throws(KeyFormatError) { producers.append(try Producer(name: name, pem: pem)) } catch {
                    throw p.fail("publicKeyPem", error.description)
                }
            }
        }
        let policy = StrictObject(try top.value("approvalPolicy"), file: file, field: "approvalPolicy")
        try policy.allowOnly(["digest", "document"])
        let digest = try policy.digest("digest")
        let document = try policy.optionalString("document")
        if let document, SHA256.hash(document) != digest {
            throw policy.fail("document", "does not hash to approvalPolicy.digest \(digest.prefixed)")
        }
        let witnesses = try parseWitnesses(top, file: file)
        let quorum: Int? = top.object["witnessQuorum"] == nil ? nil : try top.int("witnessQuorum")
        if let problem = witnessProblem(witnesses, quorum: quorum) { throw top.fail(problem.field, problem.reason) }
        return TrustRoot(log: log, signers: signers, producers: producers,
                         approvalPolicy: Policy(digest: digest, document: document),
                         witnesses: witnesses, witnessQuorum: quorum)
    }

    /// `witnesses`: `[{"name": "…", "key": "<name+hash+base64 cosigner key>"}]`; the name must
    /// be the key's own, so the file cannot label one witness's key with another's name.
    private static func parseWitnesses(_ top: StrictObject, file: String) throws(BundleInputError) -> [CosignerKey] {
        guard top.object["witnesses"] != nil else { return [] }
        let list = try top.array("witnesses")
        guard list.count <= Limits.maxTrustRootWitnesses else {
            throw .tooLarge(path: file, what: "witnesses (\(list.count))", limit: Limits.maxTrustRootWitnesses)
        }
        var keys: [CosignerKey] = []
        for (i, item) in list.enumerated() {
            let w = StrictObject(item, file: file, field: "witnesses[\(i)]")
            try w.allowOnly(["name", "key"])
            let name = try w.string("name")
            let keyText = try w.string("key")
            let key: CosignerKey
            do throws(SignedNoteError) { key = try CosignerKey.parse(keyText) } catch {
                throw w.fail("key", "not a witness (cosignature/v1) key: \(error)")
            }
            guard key.name == name else { throw w.fail("name", "'\(name)' is not the key's name '\(key.name)'") }
            keys.append(key)
        }
        return keys
    }

    private static func parseLog(_ value: JSONValue, file: String) throws(BundleInputError) -> Log {
        let l = StrictObject(value, file: file, field: "log")
        try l.allowOnly(["origin", "verifierKey"])
        let origin = try l.string("origin")
        guard !origin.isEmpty, !origin.contains("\n") else { throw l.fail("origin", "must be one non-empty line") }
        let keyText = try l.string("verifierKey")
        do throws(SignedNoteError) {
            return Log(origin: origin, key: try NoteVerifierKey.parse(keyText))
        } catch {
            throw l.fail("verifierKey", "\(error)")
        }
    }

    private static func parseSigner(_ value: JSONValue, file: String, field: String) throws(BundleInputError) -> Signer {
        let s = StrictObject(value, file: file, field: field)
        try s.allowOnly(["id", "keyId", "publicKey", "roles", "notBefore", "revokedAt"])
        let id = try s.string("id")
        guard !id.isEmpty, id.utf8.count <= Limits.maxIdentifierBytes else { throw s.fail("id", "must be 1 to \(Limits.maxIdentifierBytes) bytes") }
        let keyText = try s.string("publicKey")
        let key: Ed25519PublicKey
        do throws(KeyFormatError) { key = try Ed25519PublicKey(base64: keyText) } catch {
            throw s.fail("publicKey", error.description)
        }
        guard try s.digest("keyId") == key.keyID else { throw s.fail("keyId", "is not the SHA-256 fingerprint of publicKey") }
        let roles = try s.stringArray("roles", limit: 64)
        guard let notBefore = UTCTime.parse(try s.string("notBefore")) else { throw s.fail("notBefore", "expected RFC 3339 UTC time") }
        var revokedAt: Date?
        if let text = try s.optionalString("revokedAt") {
            guard let t = UTCTime.parse(text) else { throw s.fail("revokedAt", "expected RFC 3339 UTC time or null") }
            revokedAt = t
        }
        return Signer(id: id, publicKey: key, roles: roles, notBefore: notBefore, revokedAt: revokedAt)
    }

    public var jsonValue: JSONValue {
        var policy: [String: JSONValue] = ["digest": .string(approvalPolicy.digest.prefixed)]
        if let d = approvalPolicy.document { policy["document"] = .string(d) }
        var top: [String: JSONValue] = [
            "version": .number(Double(Self.formatVersion)),
            "log": .object(["origin": .string(log.origin), "verifierKey": .string(log.key.encoded)]),
            "signers": .array(signers.map { s in
                .object([
                    "id": .string(s.id), "keyId": .string(s.keyID.prefixed), "publicKey": .string(s.publicKey.base64),
                    "roles": .array(s.roles.map { .string($0) }), "notBefore": .string(UTCTime.format(s.notBefore)),
                    "revokedAt": s.revokedAt.map { .string(UTCTime.format($0)) } ?? .null,
                ])
            }),
            "producers": .array(producers.map { .object(["name": .string($0.name), "publicKeyPem": .string($0.pem)]) }),
            "approvalPolicy": .object(policy),
        ]
        if !witnesses.isEmpty {
            top["witnesses"] = .array(witnesses.map { .object(["name": .string($0.name), "key": .string($0.encoded)]) })
        }
        if let witnessQuorum { top["witnessQuorum"] = .number(Double(witnessQuorum)) }
        return .object(top)
    }

    /// The file as written by `trust-root export`: pretty JSON plus a newline.
    public var encoded: [UInt8] { Array((jsonValue.prettyString() + "\n").utf8) }
}
