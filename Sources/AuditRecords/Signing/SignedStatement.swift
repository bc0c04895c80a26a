import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

/// What an e-signature signs (21 CFR 11.50, 11.70): the exact change version (its digest),
/// who (ID and printed name), what it means, when (UTC), and an optional comment. The
/// Ed25519 signature covers the RFC 8785 canonical JSON of `jsonValue`; the `format` tag
/// keeps these bytes from ever meaning anything else.
public struct SignedStatement: Sendable, Equatable {
    public static let format = "auditctl-e-signature/v1"

    public let changeDigest: Digest
    public let signerID: String
    public let printedName: String
    public let meaning: Meaning
    /// RFC 3339 UTC with milliseconds and `Z`, as signed.
    public let time: String
    public let comment: String

    public init(changeDigest: Digest, signerID: String, printedName: String, meaning: Meaning, time: String, comment: String) {
        self.changeDigest = changeDigest
        self.signerID = signerID
        self.printedName = printedName
        self.meaning = meaning
        self.time = time
        self.comment = comment
    }

    public var jsonValue: JSONValue {
        .object([
            "format": .string(Self.format), "changeDigest": .string(changeDigest.prefixed),
            "signerId": .string(signerID), "printedName": .string(printedName),
            "meaning": .string(meaning.rawValue), "time": .string(time), "comment": .string(comment),
        ])
    }

    /// The exact bytes signed.
    public var signingBytes: [UInt8] { jsonValue.canonicalBytes() }

    public var date: Date? { UTCTime.parse(time) }

    public init?(json: JSONValue) {
        guard json["format"]?.stringValue == Self.format, let object = json.objectValue, object.count == 7,
              let digest = json["changeDigest"]?.stringValue.flatMap(Digest.init(prefixed:)),
              let signer = json["signerId"]?.stringValue, let name = json["printedName"]?.stringValue,
              let meaning = json["meaning"]?.stringValue.flatMap(Meaning.init(rawValue:)),
              let time = json["time"]?.stringValue, UTCTime.parse(time) != nil,
              let comment = json["comment"]?.stringValue
        else { return nil }
        self.init(changeDigest: digest, signerID: signer, printedName: name, meaning: meaning, time: time, comment: comment)
    }
}
