import AuditCore

/// auditctl's release metadata, under `predicate.auditctl` (model-signing v1.0 verifiers
/// ignore unknown predicate fields, so its own fields keep their meaning). The shard size is
/// not repeated here: it is model-signing's `serialization.shard_size`.
public struct ReleaseInfo: Sendable, Equatable {
    public static let formatVersion = 1

    /// The approved change this release implements (ledger change id).
    public var changeID: String
    public var modelName: String
    /// Semantic version (semver.org 2.0), compared for rollback protection.
    public var modelVersion: String
    /// Zones the change was approved for.
    public var zones: [String]

    public init(changeID: String, modelName: String, modelVersion: String, zones: [String]) {
        self.changeID = changeID
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.zones = zones
    }

    public var jsonValue: JSONValue {
        .object([
            "version": .number(Double(Self.formatVersion)),
            "change_id": .string(changeID),
            "model_name": .string(modelName),
            "model_version": .string(modelVersion),
            "zones": .array(zones.map { .string($0) }),
        ])
    }

    static func parse(_ value: JSONValue, file: String, field: String) throws(BundleInputError) -> ReleaseInfo {
        let r = StrictObject(value, file: file, field: field)
        try r.allowOnly(["version", "change_id", "model_name", "model_version", "zones"])
        let version = try r.int("version")
        guard version == formatVersion else { throw r.fail("version", "unsupported version \(version) (this auditctl reads \(formatVersion))") }
        let info = ReleaseInfo(changeID: try r.string("change_id"), modelName: try r.string("model_name"),
                               modelVersion: try r.string("model_version"), zones: try r.stringArray("zones", limit: 256))
        for (key, text) in [("change_id", info.changeID), ("model_name", info.modelName)]
            where text.isEmpty || text.utf8.count > Limits.maxIdentifierBytes {
            throw r.fail(key, "must be 1 to \(Limits.maxIdentifierBytes) bytes")
        }
        guard !info.modelVersion.isEmpty, info.modelVersion.utf8.count <= Limits.maxModelVersionBytes else {
            throw r.fail("model_version", "must be 1 to \(Limits.maxModelVersionBytes) bytes")
        }
        return info
    }
}
