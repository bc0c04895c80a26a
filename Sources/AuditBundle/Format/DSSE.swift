import AuditCore

/// One DSSE signature: `keyid` is a hint only (ours: "sha256:<hex>" of the raw Ed25519
/// key; model-signing leaves it empty); `sig` is the raw signature.
public struct DSSESignature: Sendable, Equatable {
    public let keyID: String
    public let signature: [UInt8]

    public init(keyID: String, signature: [UInt8]) {
        self.keyID = keyID
        self.signature = signature
    }
}

/// A DSSE envelope (secure-systems-lab/dsse v1.0). `payload` holds the decoded bytes as
/// signed; they are verified and parsed as they are, never re-serialized.
public struct DSSEEnvelope: Sendable, Equatable {
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    public let payloadType: String
    public let payload: [UInt8]
    public var signatures: [DSSESignature]

    public init(payloadType: String, payload: [UInt8], signatures: [DSSESignature]) {
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    /// Pre-Authentication Encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body,
    /// lengths in ASCII decimal bytes. This, not the payload, is what is signed.
    public static func pae(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        var out = Array("DSSEv1 \(type.count) ".utf8)
        out += type
        out += Array(" \(payload.count) ".utf8)
        out += payload
        return out
    }

    public var pae: [UInt8] { Self.pae(payloadType: payloadType, payload: payload) }

    public var jsonValue: JSONValue {
        .object([
            "payloadType": .string(payloadType),
            "payload": .string(Base64.encode(payload)),
            "signatures": .array(signatures.map {
                .object(["keyid": .string($0.keyID), "sig": .string(Base64.encode($0.signature))])
            }),
        ])
    }

    /// Parses an envelope object; `field` prefixes error locations.
    static func parse(_ value: JSONValue, file: String, field: String) throws(BundleInputError) -> DSSEEnvelope {
        let r = StrictObject(value, file: file, field: field)
        let at = field.isEmpty ? "" : field + "."
        try r.allowOnly(["payloadType", "payload", "signatures"])
        let type = try r.string("payloadType")
        let payload = try r.base64("payload", limit: Limits.maxBundlePayloadBytes)
        let list = try r.array("signatures")
        guard !list.isEmpty else { throw .malformed(path: file, field: at + "signatures", reason: "no signatures") }
        guard list.count <= Limits.maxBundleSignatures else {
            throw .tooLarge(path: file, what: "\(at)signatures (\(list.count))", limit: Limits.maxBundleSignatures)
        }
        var sigs: [DSSESignature] = []
        for (i, item) in list.enumerated() {
            let s = StrictObject(item, file: file, field: "\(at)signatures[\(i)]")
            try s.allowOnly(["keyid", "sig"])
            let keyID = try s.optionalString("keyid") ?? ""
            let sig = try s.base64("sig", limit: 1024)
            guard !sig.isEmpty else { throw .malformed(path: file, field: "\(at)signatures[\(i)].sig", reason: "empty signature") }
            sigs.append(DSSESignature(keyID: keyID, signature: sig))
        }
        return DSSEEnvelope(payloadType: type, payload: payload, signatures: sigs)
    }
}
