import AuditCore
import AuditCrypto
import Foundation

/// What a waiver signs: which finding is accepted (its fingerprint), why, until when,
/// optionally the topology it was reviewed against, who (ID and printed name) and when.
/// The Ed25519 signature covers the RFC 8785 canonical JSON of `jsonValue`; the `format`
/// tag keeps these bytes from ever being read as an e-signature on a change, and back.
public struct WaiverStatement: Sendable, Equatable {
    public static let format = "auditctl-waiver/v1"

    /// The finding's fingerprint, e.g. `ZR-007:line1-ai>c-line-plc>plc-cell>c-sis-plc>sis`.
    public let findingID: String
    public let reason: String
    /// RFC 3339 UTC with milliseconds and `Z`, as signed.
    public let expiresAt: String
    /// SHA-256 of the topology file the finding was seen in, when the waiver named one.
    public let topologyDigest: Digest?
    public let waivedBy: String
    public let printedName: String
    /// When it was signed: RFC 3339 UTC with milliseconds and `Z`.
    public let time: String

    public init(findingID: String, reason: String, expiresAt: String, topologyDigest: Digest?,
                waivedBy: String, printedName: String, time: String) {
        self.findingID = findingID
        self.reason = reason
        self.expiresAt = expiresAt
        self.topologyDigest = topologyDigest
        self.waivedBy = waivedBy
        self.printedName = printedName
        self.time = time
    }

    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "format": .string(Self.format), "findingId": .string(findingID), "reason": .string(reason),
            "expiresAt": .string(expiresAt), "waivedBy": .string(waivedBy), "printedName": .string(printedName),
            "time": .string(time),
        ]
        if let topologyDigest { o["topologyDigest"] = .string(topologyDigest.prefixed) }
        return .object(o)
    }

    /// The exact bytes signed.
    public var signingBytes: [UInt8] { jsonValue.canonicalBytes() }

    public var signedAt: Date? { UTCTime.parse(time) }
    public var expiryDate: Date? { UTCTime.parse(expiresAt) }

    /// Reads a statement back from a `waiver.granted` payload; nil if any field is off
    /// (unknown keys included, so nothing unsigned can ride along).
    public init?(json: JSONValue) {
        guard json["format"]?.stringValue == Self.format, let object = json.objectValue,
              Set(object.keys).isSubset(of: ["format", "findingId", "reason", "expiresAt", "topologyDigest",
                                             "waivedBy", "printedName", "time"]),
              let finding = json["findingId"]?.stringValue, let reason = json["reason"]?.stringValue,
              let expires = json["expiresAt"]?.stringValue, UTCTime.parse(expires) != nil,
              let by = json["waivedBy"]?.stringValue, let name = json["printedName"]?.stringValue,
              let time = json["time"]?.stringValue, UTCTime.parse(time) != nil
        else { return nil }
        var digest: Digest?
        if let value = json["topologyDigest"] {
            guard let d = value.stringValue.flatMap(Digest.init(prefixed:)) else { return nil }
            digest = d
        }
        self.init(findingID: finding, reason: reason, expiresAt: expires, topologyDigest: digest,
                  waivedBy: by, printedName: name, time: time)
    }
}
