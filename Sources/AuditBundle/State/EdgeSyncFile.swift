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
public struct EdgeSyncFile: Sendable, Equatable {
    public static let formatVersion = 1

    public let checkpoint: String
    public let consistency: [ApprovalProof.ConsistencyStep]

    public init(checkpoint: String, consistency: [ApprovalProof.ConsistencyStep]) {
        self.checkpoint = checkpoint
        self.consistency = consistency
    }

    public static func read(path: String) throws(BundleInputError) -> EdgeSyncFile {
        let bytes = try BoundedFile.read(path: path, limit: Limits.maxEdgeSyncFileBytes, what: "edge sync file")
        let value = try StrictObject.parseDocument(bytes, file: path, maxBytes: Limits.maxEdgeSyncFileBytes)
        let top = StrictObject(value, file: path, field: "")
        try top.allowOnly(["version", "checkpoint", "consistency"])
        let version = try top.int("version")
        guard version == formatVersion else { throw top.fail("version", "unsupported sync file version \(version)") }
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
        return EdgeSyncFile(checkpoint: try top.string("checkpoint"), consistency: steps)
    }

    public var jsonValue: JSONValue {
        .object([
            "version": .number(Double(Self.formatVersion)),
            "checkpoint": .string(checkpoint),
            "consistency": .array(consistency.map(\.jsonValue)),
        ])
    }

    public func write(path: String) throws(BundleInputError) {
        try AtomicFile.write(Array((jsonValue.prettyString() + "\n").utf8), to: path)
    }
}
