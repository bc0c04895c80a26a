import AuditCore
import Foundation

/// `model.sig`: the Sigstore bundle v0.3 JSON that model-signing writes (its DSSE envelope
/// under `dsseEnvelope`, a public-key hint under `verificationMaterial`), or a bare DSSE
/// envelope as other DSSE tools (securesystemslib) write it. Both are read; auditctl writes
/// the Sigstore form so `model_signing` tooling can open it.
public struct SignatureFile: Sendable, Equatable {
    public static let sigstoreBundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"

    public var envelope: DSSEEnvelope
    /// `verificationMaterial.publicKey.hint`: model-signing's SHA-256 (hex) of the signer's
    /// PEM public key. Empty in a bare envelope.
    public var publicKeyHint: String

    public init(envelope: DSSEEnvelope, publicKeyHint: String = "") {
        self.envelope = envelope
        self.publicKeyHint = publicKeyHint
    }

    public static func read(path: String) throws(BundleInputError) -> SignatureFile {
        let bytes = try BoundedFile.readMember(path: path, limit: Limits.maxBundleSignatureFileBytes, what: "signature file")
        return try parse(bytes, file: path)
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(BundleInputError) -> SignatureFile {
        let value = try StrictObject.parseDocument(bytes, file: file, maxBytes: Limits.maxBundleSignatureFileBytes)
        guard let object = value.objectValue else {
            throw .malformed(path: file, field: "", reason: "expected a JSON object (a Sigstore bundle or a DSSE envelope)")
        }
        if object["dsseEnvelope"] == nil {
            return SignatureFile(envelope: try DSSEEnvelope.parse(value, file: file, field: "envelope"))
        }
        let r = StrictObject(value, file: file, field: "")
        try r.allowOnly(["mediaType", "verificationMaterial", "dsseEnvelope"])
        let media = try r.string("mediaType")
        guard media == sigstoreBundleMediaType else {
            throw .malformed(path: file, field: "mediaType", reason: "'\(media)' is not \(sigstoreBundleMediaType)")
        }
        var hint = ""
        if let material = object["verificationMaterial"] {
            let m = StrictObject(material, file: file, field: "verificationMaterial")
            try m.allowOnly(["publicKey", "tlogEntries"])
            if let key = m.object["publicKey"] {
                let k = StrictObject(key, file: file, field: "verificationMaterial.publicKey")
                try k.allowOnly(["hint"])
                hint = try k.optionalString("hint") ?? ""
            }
            if m.object["tlogEntries"] != nil, try m.array("tlogEntries").isEmpty == false {
                throw m.fail("tlogEntries", "transparency-log entries are not supported (offline verification uses the approval proof)")
            }
        }
        let envelope = try DSSEEnvelope.parse(object["dsseEnvelope"] ?? .null, file: file, field: "dsseEnvelope")
        return SignatureFile(envelope: envelope, publicKeyHint: hint)
    }

    /// The Sigstore bundle form, pretty-printed (the bytes inside `payload` are what is signed).
    public var jsonValue: JSONValue {
        .object([
            "mediaType": .string(Self.sigstoreBundleMediaType),
            "verificationMaterial": .object([
                "publicKey": .object(["hint": .string(publicKeyHint)]),
                "tlogEntries": .array([]),
            ]),
            "dsseEnvelope": envelope.jsonValue,
        ])
    }

    public func write(path: String) throws(BundleInputError) {
        try AtomicFile.write(Array((jsonValue.prettyString() + "\n").utf8), to: path)
    }
}
