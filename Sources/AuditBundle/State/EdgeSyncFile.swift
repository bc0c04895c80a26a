import AuditCore

/// What `auditctl edge sync-file` writes and `auditctl edge sync` reads: the ledger's newest
/// signed checkpoint and RFC 9162 consistency proofs into it from earlier sizes, each naming
/// its `fromRoot`. It carries no secrets and needs no integrity of its own: the checkpoint is
/// signed by the log key, and each proof is checked against it.
///
/// ```json
/// {"version": 1, "checkpoint": "<C2SP signed note>",
///  "consistency": [{"fromSize": 12, "fromRoot": "sha256:<hex>", "path": ["sha256:<hex>", ...]}]}
/// ```
///
/// Witness cosignatures travel as extra signature lines on the checkpoint note. When the
/// newest checkpoint is not the newest cosigned one, version 2 adds `witnessedCheckpoint`:
/// that cosigned note, an earlier size the consistency proofs cover.
public struct EdgeSyncFile: Sendable, Equatable {
    public static let formatVersion = 1
    /// With `witnessedCheckpoint`; a file without it is written as version 1, as before.
    public static let witnessedFormatVersion = 2

    public let checkpoint: String
    public let consistency: [ApprovalProof.ConsistencyStep]
    /// The newest cosigned checkpoint note, when it is older than `checkpoint`.
    public let witnessedCheckpoint: String?

    public init(checkpoint: String, consistency: [ApprovalProof.ConsistencyStep], witnessedCheckpoint: String? = nil) {
        self.checkpoint = checkpoint
        self.consistency = consistency
        self.witnessedCheckpoint = witnessedCheckpoint
    }

    public static func read(path: String) throws(BundleInputError) -> EdgeSyncFile {
        let bytes = try BoundedFile.read(path: path, limit: Limits.maxEdgeSyncFileBytes, what: "edge sync file")
        let value = try StrictObject.parseDocument(bytes, file: path, maxBytes: Limits.maxEdgeSyncFileBytes)
        let top = StrictObject(value, file: path, field: "")
        let version = try top.int("version")
        guard version == formatVersion || version == witnessedFormatVersion else {
            throw top.fail("version", "unsupported sync file version \(version)")
        }
        try top.allowOnly(version == witnessedFormatVersion ? ["version", "checkpoint", "consistency", "witnessedCheckpoint"]
                                                            : ["version", "checkpoint", "consistency"])
        let list = try top.array("consistency")
        guard list.count <= Limits.maxEdgeSyncConsistencyProofs else {
            throw .tooLarge(path: path, what: "consistency", limit: Limits.maxEdgeSyncConsistencyProofs)
        }
        var steps: [ApprovalProof.ConsistencyStep] = []
        for (i, item) in list.enumerated() {
            let step = try ApprovalProof.ConsistencyStep.parse(item, file: path, field: "consistency[\(i)]")
            guard step.fromRoot != nil else { throw .malformed(path: path, field: "consistency[\(i)].fromRoot", reason: "missing") }
            steps.append(step)
        }
        let witnessed = version == witnessedFormatVersion ? try top.string("witnessedCheckpoint") : nil
        return EdgeSyncFile(checkpoint: try top.string("checkpoint"), consistency: steps, witnessedCheckpoint: witnessed)
    }

    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "version": .number(Double(witnessedCheckpoint == nil ? Self.formatVersion : Self.witnessedFormatVersion)),
            "checkpoint": .string(checkpoint),
            "consistency": .array(consistency.map(\.jsonValue)),
        ]
        if let witnessedCheckpoint { o["witnessedCheckpoint"] = .string(witnessedCheckpoint) }
        return .object(o)
    }

    public func write(path: String) throws(BundleInputError) {
        try AtomicFile.write(Array((jsonValue.prettyString() + "\n").utf8), to: path)
    }
}
