import AuditCore
import AuditCrypto
import AuditPolicy

/// One version of a proposed change, exactly as signatures bind to it. Its `digest` is the
/// SHA-256 of the canonical JSON (RFC 8785) of `jsonValue`; a new version names its
/// predecessor, so even a reverted edit gets a new digest and old signatures never carry over.
public struct ChangeRecordContent: Sendable, Equatable {
    public static let format = "auditctl-change/v1"

    public let changeID: String
    public let changeType: ChangeType
    public let model: String
    public let modelVersion: String
    public let reason: String
    public let authorID: String
    /// Digest of the artifact (bundle manifest) the change is about, if given.
    public let artifactDigest: Digest?
    public let targetZone: String?
    /// Digest of the version this one replaces.
    public let previous: Digest?

    public init(changeID: String, changeType: ChangeType, model: String, modelVersion: String, reason: String,
                authorID: String, artifactDigest: Digest?, targetZone: String?, previous: Digest?) {
        self.changeID = changeID
        self.changeType = changeType
        self.model = model
        self.modelVersion = modelVersion
        self.reason = reason
        self.authorID = authorID
        self.artifactDigest = artifactDigest
        self.targetZone = targetZone
        self.previous = previous
    }

    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "format": .string(Self.format), "changeId": .string(changeID), "type": .string(changeType.rawValue),
            "model": .string(model), "modelVersion": .string(modelVersion), "reason": .string(reason),
            "author": .string(authorID),
        ]
        if let artifactDigest { o["artifactDigest"] = .string(artifactDigest.prefixed) }
        if let targetZone { o["targetZone"] = .string(targetZone) }
        if let previous { o["previous"] = .string(previous.prefixed) }
        return .object(o)
    }

    public var digest: Digest { SHA256.hash(jsonValue.canonicalBytes()) }

    /// Reads the record back from a `change.proposed` payload; nil if any field is off.
    public init?(json: JSONValue) {
        guard json["format"]?.stringValue == Self.format,
              let id = json["changeId"]?.stringValue, let type = json["type"]?.stringValue.flatMap(ChangeType.init(rawValue:)),
              let model = json["model"]?.stringValue, let version = json["modelVersion"]?.stringValue,
              let reason = json["reason"]?.stringValue, let author = json["author"]?.stringValue,
              let object = json.objectValue,
              Set(object.keys).isSubset(of: ["format", "changeId", "type", "model", "modelVersion", "reason", "author",
                                             "artifactDigest", "targetZone", "previous"])
        else { return nil }
        func digest(_ key: String) -> Digest?? {
            guard let v = json[key] else { return .some(nil) }
            guard let d = v.stringValue.flatMap(Digest.init(prefixed:)) else { return nil }
            return .some(d)
        }
        guard let artifact = digest("artifactDigest"), let previous = digest("previous") else { return nil }
        let zone = json["targetZone"]?.stringValue
        if json["targetZone"] != nil && zone == nil { return nil }
        self.init(changeID: id, changeType: type, model: model, modelVersion: version, reason: reason,
                  authorID: author, artifactDigest: artifact, targetZone: zone, previous: previous)
    }
}
