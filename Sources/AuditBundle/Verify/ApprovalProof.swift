import AuditCore
import AuditCrypto
import AuditLedger

/// What a bundle carries to prove its change was approved, checkable fully offline:
/// the `change.approved` ledger entry (its exact canonical bytes, which the leaf hash is
/// over), an RFC 9162 inclusion proof into the tree of `treeSize` entries, the log's signed
/// checkpoint for that size, and optional consistency proofs from earlier checkpoint sizes
/// so an edge that saw an older checkpoint can check this one extends it.
/// Stored as `model.approval.json` beside `model.sig`.
public struct ApprovalProof: Sendable, Equatable {
    public static let formatVersion = 1

    /// A consistency proof from the tree of `fromSize` entries to this proof's tree.
    /// `fromRoot` (written since format 1 gained it; optional when read) is the root of that
    /// smaller tree: once the proof verifies against the signed checkpoint, the edge knows that
    /// root as a proven prefix and can relate a bundle anchored there (`CheckpointRelation`).
    public struct ConsistencyStep: Sendable, Equatable {
        public let fromSize: Int
        public let fromRoot: Digest?
        public let path: [Digest]
        public init(fromSize: Int, fromRoot: Digest? = nil, path: [Digest]) {
            self.fromSize = fromSize
            self.fromRoot = fromRoot
            self.path = path
        }

        var jsonValue: JSONValue {
            var o: [String: JSONValue] = ["fromSize": .number(Double(fromSize)), "path": .array(path.map { .string($0.prefixed) })]
            if let fromRoot { o["fromRoot"] = .string(fromRoot.prefixed) }
            return .object(o)
        }

        static func parse(_ item: JSONValue, file: String, field: String) throws(BundleInputError) -> ConsistencyStep {
            let s = StrictObject(item, file: file, field: field)
            try s.allowOnly(["fromSize", "fromRoot", "path"])
            let root: Digest? = s.object["fromRoot"] == nil ? nil : try s.digest("fromRoot")
            let size = try s.int("fromSize")
            guard size >= 1 else { throw s.fail("fromSize", "must be at least 1") }
            return ConsistencyStep(fromSize: size, fromRoot: root, path: try ApprovalProof.digests(s, "path"))
        }
    }

    public let entryBytes: [UInt8]
    public let entry: Entry
    public let treeSize: Int
    public let inclusionPath: [Digest]
    /// The C2SP signed note of the checkpoint for `treeSize`.
    public let checkpoint: String
    public let consistency: [ConsistencyStep]

    /// The same approval anchored to another checkpoint (`auditctl bundle refresh`): the entry
    /// bytes are kept exactly as they are.
    public func reanchored(treeSize: Int, inclusionPath: [Digest], checkpoint: String,
                           consistency: [ConsistencyStep]) -> ApprovalProof {
        ApprovalProof(entryBytes: entryBytes, entry: entry, treeSize: treeSize, inclusionPath: inclusionPath,
                      checkpoint: checkpoint, consistency: consistency)
    }

    public init(entry: Entry, treeSize: Int, inclusionPath: [Digest], checkpoint: String, consistency: [ConsistencyStep] = []) {
        self.entry = entry
        self.entryBytes = entry.canonicalBytes
        self.treeSize = treeSize
        self.inclusionPath = inclusionPath
        self.checkpoint = checkpoint
        self.consistency = consistency
    }

    public static func read(path: String) throws(BundleInputError) -> ApprovalProof {
        try parse(BoundedFile.readMember(path: path, limit: Limits.maxApprovalProofBytes, what: "approval proof"), file: path)
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(BundleInputError) -> ApprovalProof {
        let value = try StrictObject.parseDocument(bytes, file: file, maxBytes: Limits.maxApprovalProofBytes)
        let top = StrictObject(value, file: file, field: "")
        try top.allowOnly(["version", "entry", "seq", "treeSize", "inclusionPath", "checkpoint", "consistency"])
        let version = try top.int("version")
        guard version == formatVersion else { throw top.fail("version", "unsupported version \(version)") }
        let entryBytes = try top.base64("entry", limit: Limits.maxEntryPayloadBytes * 2)
        let entry = try parseEntry(entryBytes, file: file)
        guard try top.int("seq") == entry.seq else { throw top.fail("seq", "differs from the entry's seq \(entry.seq)") }
        let treeSize = try top.int("treeSize")
        let path = try digests(top, "inclusionPath")
        var steps: [ConsistencyStep] = []
        if top.object["consistency"] != nil {
            let list = try top.array("consistency")
            guard list.count <= Limits.maxApprovalConsistencyProofs else {
                throw .tooLarge(path: file, what: "consistency", limit: Limits.maxApprovalConsistencyProofs)
            }
            for (i, item) in list.enumerated() {
                steps.append(try ConsistencyStep.parse(item, file: file, field: "consistency[\(i)]"))
            }
        }
        return ApprovalProof(entryBytes: entryBytes, entry: entry, treeSize: treeSize, inclusionPath: path,
                             checkpoint: try top.string("checkpoint"), consistency: steps)
    }

    private init(entryBytes: [UInt8], entry: Entry, treeSize: Int, inclusionPath: [Digest], checkpoint: String,
                 consistency: [ConsistencyStep]) {
        self.entryBytes = entryBytes
        self.entry = entry
        self.treeSize = treeSize
        self.inclusionPath = inclusionPath
        self.checkpoint = checkpoint
        self.consistency = consistency
    }

    static func digests(_ o: StrictObject, _ key: String) throws(BundleInputError) -> [Digest] {
        let list = try o.stringArray(key, limit: Limits.maxMerklePathLength)
        var out: [Digest] = []
        for (i, s) in list.enumerated() {
            guard let d = Digest(prefixed: s) else { throw o.fail("\(key)[\(i)]", "expected sha256:<hex>") }
            out.append(d)
        }
        return out
    }

    /// The entry exactly as hashed into the ledger; refuses bytes that are not the canonical
    /// form of what they parse to (the leaf hash is defined over canonical bytes).
    private static func parseEntry(_ bytes: [UInt8], file: String) throws(BundleInputError) -> Entry {
        let value: JSONValue
        do { value = try JSONValue.parse(bytes, source: file + " (entry)") } catch {
            throw .malformed(path: file, field: "entry", reason: "not JSON: \(error.message)")
        }
        let e = StrictObject(value, file: file, field: "entry")
        try e.allowOnly(["seq", "time", "kind", "actor", "subject", "payload", "prev"])
        let payload = try e.value("payload")
        guard payload.objectValue != nil else { throw e.fail("payload", "expected an object") }
        let entry = Entry(seq: try e.int("seq"), time: try e.string("time"), kind: try e.string("kind"),
                          actor: try e.string("actor"), subject: try e.string("subject"), payload: payload,
                          prev: try e.digest("prev"))
        guard entry.canonicalBytes == bytes else {
            throw .malformed(path: file, field: "entry", reason: "not in RFC 8785 canonical form")
        }
        return entry
    }

    public var jsonValue: JSONValue {
        .object([
            "version": .number(Double(Self.formatVersion)),
            "entry": .string(Base64.encode(entryBytes)),
            "seq": .number(Double(entry.seq)),
            "treeSize": .number(Double(treeSize)),
            "inclusionPath": .array(inclusionPath.map { .string($0.prefixed) }),
            "checkpoint": .string(checkpoint),
            "consistency": .array(consistency.map(\.jsonValue)),
        ])
    }

    public func write(path: String) throws(BundleInputError) {
        try AtomicFile.write(Array((jsonValue.prettyString() + "\n").utf8), to: path)
    }
}
