import AuditCore
import AuditLedger

/// Line 1 of proofs.jsonl: why the period's entries are exactly leaves firstSeq...lastSeq
/// of the signed tree. The verifier starts from `prefixFrontier` (the perfect subtree
/// hashes of the `firstSeq` leaves before the period), appends the period's leaf hashes,
/// and checks the resulting root of `lastSeq + 1` leaves with `periodConsistency` against
/// the checkpoint. `startCheckpoint` (the first signed checkpoint covering `firstSeq`) is
/// checked by a second consistency proof, and directly against the leaves when it falls
/// inside the period.
public struct ProofsHeader: Sendable, Equatable {
    public var treeSize: Int
    public var rootHash: Digest
    public var firstSeq: Int
    public var lastSeq: Int
    public var prefixFrontier: [Digest]
    public var periodConsistency: [Digest]
    public var startCheckpointSize: Int?
    public var startCheckpointRoot: Digest?
    public var startConsistency: [Digest]
    public var contextEntries: Int

    public var jsonValue: JSONValue {
        func list(_ ds: [Digest]) -> JSONValue { .array(ds.map { .string($0.prefixed) }) }
        var start: JSONValue = .null
        if let size = startCheckpointSize, let root = startCheckpointRoot {
            start = ["size": .number(Double(size)), "rootHash": .string(root.prefixed),
                     "consistency": ["fromSize": .number(Double(size)), "toSize": .number(Double(treeSize)), "path": list(startConsistency)]]
        }
        return .object([
            "format": .string(ExportLayout.proofsFormat), "treeSize": .number(Double(treeSize)),
            "rootHash": .string(rootHash.prefixed),
            "period": ["firstSeq": .number(Double(firstSeq)), "lastSeq": .number(Double(lastSeq))],
            "prefixFrontier": ["size": .number(Double(firstSeq)), "hashes": list(prefixFrontier)],
            "periodConsistency": ["fromSize": .number(Double(lastSeq + 1)), "toSize": .number(Double(treeSize)), "path": list(periodConsistency)],
            "startCheckpoint": start, "contextEntries": .number(Double(contextEntries)),
        ])
    }

    public init(treeSize: Int, rootHash: Digest, firstSeq: Int, lastSeq: Int, prefixFrontier: [Digest],
                periodConsistency: [Digest], startCheckpointSize: Int?, startCheckpointRoot: Digest?,
                startConsistency: [Digest], contextEntries: Int) {
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.prefixFrontier = prefixFrontier
        self.periodConsistency = periodConsistency
        self.startCheckpointSize = startCheckpointSize
        self.startCheckpointRoot = startCheckpointRoot
        self.startConsistency = startConsistency
        self.contextEntries = contextEntries
    }

    public init(json: JSONValue) throws(ExportProofError) {
        func int(_ v: JSONValue?, _ field: String) throws(ExportProofError) -> Int {
            guard let n = v?.int64Value, n >= 0 else { throw .malformed("proofs.jsonl line 1: '\(field)' is not a non-negative integer") }
            return Int(n)
        }
        func digests(_ v: JSONValue?, _ field: String) throws(ExportProofError) -> [Digest] {
            guard let items = v?.arrayValue, items.count <= 128 else { throw .malformed("proofs.jsonl line 1: '\(field)' is not a list of hashes") }
            var out: [Digest] = []
            for item in items {
                guard let d = item.stringValue.flatMap(Digest.init(prefixed:)) else {
                    throw .malformed("proofs.jsonl line 1: '\(field)' holds something other than sha256:<64 hex>")
                }
                out.append(d)
            }
            return out
        }
        guard json["format"]?.stringValue == ExportLayout.proofsFormat else {
            throw .malformed("proofs.jsonl line 1: format is not \(ExportLayout.proofsFormat)")
        }
        guard let root = json["rootHash"]?.stringValue.flatMap(Digest.init(prefixed:)) else {
            throw .malformed("proofs.jsonl line 1: 'rootHash' is not sha256:<64 hex>")
        }
        let tree = try int(json["treeSize"], "treeSize")
        let first = try int(json["period"]?["firstSeq"], "period.firstSeq")
        let last = try int(json["period"]?["lastSeq"], "period.lastSeq")
        guard try int(json["prefixFrontier"]?["size"], "prefixFrontier.size") == first,
              try int(json["periodConsistency"]?["fromSize"], "periodConsistency.fromSize") == last + 1,
              try int(json["periodConsistency"]?["toSize"], "periodConsistency.toSize") == tree
        else { throw .malformed("proofs.jsonl line 1: proof sizes do not match the period and tree size") }
        var startSize: Int?
        var startRoot: Digest?
        var startPath: [Digest] = []
        if let start = json["startCheckpoint"], !start.isNull {
            startSize = try int(start["size"], "startCheckpoint.size")
            guard let r = start["rootHash"]?.stringValue.flatMap(Digest.init(prefixed:)) else {
                throw .malformed("proofs.jsonl line 1: 'startCheckpoint.rootHash' is not sha256:<64 hex>")
            }
            startRoot = r
            guard try int(start["consistency"]?["fromSize"], "startCheckpoint.consistency.fromSize") == startSize,
                  try int(start["consistency"]?["toSize"], "startCheckpoint.consistency.toSize") == tree
            else { throw .malformed("proofs.jsonl line 1: start checkpoint proof sizes do not match") }
            startPath = try digests(start["consistency"]?["path"], "startCheckpoint.consistency.path")
        }
        self.init(treeSize: tree, rootHash: root, firstSeq: first, lastSeq: last,
                  prefixFrontier: try digests(json["prefixFrontier"]?["hashes"], "prefixFrontier.hashes"),
                  periodConsistency: try digests(json["periodConsistency"]?["path"], "periodConsistency.path"),
                  startCheckpointSize: startSize, startCheckpointRoot: startRoot, startConsistency: startPath,
                  contextEntries: try int(json["contextEntries"], "contextEntries"))
    }
}

/// Lines 2… of proofs.jsonl: an RFC 9162 inclusion proof for one context entry.
public struct ContextProof: Sendable, Equatable {
    public let seq: Int
    public let leafHash: Digest
    public let treeSize: Int
    public let path: [Digest]

    public var jsonValue: JSONValue {
        ["seq": .number(Double(seq)), "leafHash": .string(leafHash.prefixed), "treeSize": .number(Double(treeSize)),
         "inclusionPath": .array(path.map { .string($0.prefixed) })]
    }

    public init(seq: Int, leafHash: Digest, treeSize: Int, path: [Digest]) {
        self.seq = seq
        self.leafHash = leafHash
        self.treeSize = treeSize
        self.path = path
    }

    public init(json: JSONValue, line: Int) throws(ExportProofError) {
        guard let object = json.objectValue, object.count == 4, let seq = json["seq"]?.int64Value, seq >= 0,
              let leaf = json["leafHash"]?.stringValue.flatMap(Digest.init(prefixed:)),
              let size = json["treeSize"]?.int64Value, size > 0,
              let items = json["inclusionPath"]?.arrayValue, items.count <= 64
        else { throw .malformed("proofs.jsonl line \(line): not an inclusion proof (seq, leafHash, treeSize, inclusionPath)") }
        var path: [Digest] = []
        for item in items {
            guard let d = item.stringValue.flatMap(Digest.init(prefixed:)) else {
                throw .malformed("proofs.jsonl line \(line): inclusionPath holds something other than sha256:<64 hex>")
            }
            path.append(d)
        }
        self.init(seq: Int(seq), leafHash: leaf, treeSize: Int(size), path: path)
    }
}
