import AuditCore
import Dispatch
import Foundation
import GRDB
import GRDBSQLite

/// Opens a C2SP signed note with a trusted key and returns the checkpoint it signs.
public protocol CheckpointNoteVerifying: Sendable {
    func open(note: String) throws -> CheckpointBody
}

/// Re-derives every entry hash, the chain, every Merkle node and root, and checks every
/// stored checkpoint (and optionally one the caller trusts) against the recomputed tree.
/// Nothing stored is believed: the only inputs trusted are the verifier key and the
/// trusted checkpoint given by the caller.
public struct LedgerVerifier: Sendable {
    public let store: LedgerStore
    public let noteVerifier: any CheckpointNoteVerifying
    /// When false, entries after the newest signed checkpoint are tolerated (reported as ok).
    public var requireFullCoverage = true

    public init(store: LedgerStore, noteVerifier: any CheckpointNoteVerifying) {
        self.store = store
        self.noteVerifier = noteVerifier
    }

    public func verify(trustedCheckpointNote: String? = nil) throws(LedgerError) -> LedgerVerificationReport {
        let size = try store.size()
        var problems: [LedgerProblem] = []

        // 1. Entries: two halves scanned in parallel on separate read connections.
        let ranges = size >= 8192 ? [(0, size / 2), (size / 2, size)] : [(0, size)]
        let results = try scanParallel(ranges)
        var leaves = [UInt8]()
        leaves.reserveCapacity(size * 32)
        for (i, r) in results.enumerated() {
            problems += r.problems
            if i > 0, let firstPrev = r.firstPrev, leaves.count >= 32, !leaves.suffix(32).elementsEqual(firstPrev) {
                problems.append(LedgerProblem(.chainBroken, seq: ranges[i].0 - 1,
                                              "entry \(ranges[i].0)'s prev does not equal this entry's hash: the entry was altered or replaced"))
            }
            if i == 0, let firstPrev = r.firstPrev, !firstPrev.allSatisfy({ $0 == 0 }) {
                problems.append(LedgerProblem(.chainBroken, seq: 0, "the genesis entry's prev is not 32 zero bytes"))
            }
            leaves += r.leaves
        }

        // 2. Merkle nodes recomputed and compared with the stored ones used for proofs.
        let levels = HashLevels(leaves: leaves)
        // A node over an entry already reported is a consequence, not a second finding.
        let entrySeqs = problems.compactMap(\.seq)
        problems += try compareStoredNodes(levels).filter { node in
            guard let range = node.coveredRange else { return true }
            return !entrySeqs.contains { range.contains($0) }
        }
        let root = size == 0 ? MerkleHash.emptyRoot : (try? MerkleTree.root(size: size, source: levels)) ?? MerkleHash.emptyRoot

        // 3. Stored checkpoints.
        let checkpoints = try store.checkpoints()
        var latestGood: Int?
        var lastMatching = 0
        for cp in checkpoints {
            if let p = check(note: cp.note, expectedSize: cp.size, expectedRoot: cp.root, logSize: size,
                             levels: levels, lastMatching: lastMatching, label: "stored") {
                problems.append(p)
            } else {
                latestGood = max(latestGood ?? 0, cp.size)
                lastMatching = cp.size
            }
        }
        // A signed checkpoint that still matches proves every entry below its size, so a
        // Merkle node mismatch straddling it points at the entries above it.
        let matchingSizes = checkpoints.map(\.size).filter { size in
            !problems.contains { $0.checkpointSize == size }
        }
        for i in problems.indices {
            guard let range = problems[i].coveredRange else { continue }
            if let proven = matchingSizes.filter({ $0 > range.lowerBound && $0 < range.upperBound }).max() {
                problems[i].seq = proven
            }
        }
        let covered = latestGood ?? 0
        if requireFullCoverage, size > covered {
            problems.append(LedgerProblem(.uncoveredEntries, seq: covered,
                                          "entries \(covered)..\(size - 1) are not covered by a valid signed checkpoint (run `auditctl checkpoint`; if you did not append them, they were forged)"))
        }

        // 4. The checkpoint the caller trusts must be extended by this log.
        var trustedSize: Int?
        if let note = trustedCheckpointNote {
            do {
                let body = try noteVerifier.open(note: note)
                trustedSize = body.size
                if let p = check(note: note, expectedSize: body.size, expectedRoot: body.root, logSize: size,
                                 levels: levels, lastMatching: 0, label: "trusted") {
                    problems.append(LedgerProblem(.trustedCheckpointNotExtended, seq: p.seq, checkpointSize: body.size,
                                                  "the trusted checkpoint is not extended by this log: \(p.message)"))
                }
            } catch {
                problems.append(LedgerProblem(.trustedCheckpointNotExtended,
                                              "the trusted checkpoint does not verify with the log key: \(error)"))
            }
        }
        problems.sort { ($0.seq ?? Int.max, $0.checkpointSize ?? Int.max) < ($1.seq ?? Int.max, $1.checkpointSize ?? Int.max) }
        return LedgerVerificationReport(size: size, root: root, checkpointsChecked: checkpoints.count,
                                        latestCheckpointSize: latestGood, trustedCheckpointSize: trustedSize,
                                        problems: problems)
    }

    /// Verifies one checkpoint note against the recomputed tree; nil when it holds.
    private func check(note: String, expectedSize: Int, expectedRoot: Digest, logSize: Int,
                       levels: HashLevels, lastMatching: Int, label: String) -> LedgerProblem? {
        let body: CheckpointBody
        do {
            body = try noteVerifier.open(note: note)
        } catch {
            return LedgerProblem(.checkpointSignature, checkpointSize: expectedSize, "signature does not verify with the log key: \(error)")
        }
        guard body.origin == store.origin else {
            return LedgerProblem(.checkpointMalformed, checkpointSize: expectedSize,
                                 "signed for origin '\(body.origin)', this log is '\(store.origin)'")
        }
        guard body.size == expectedSize, body.root == expectedRoot else {
            return LedgerProblem(.checkpointMalformed, checkpointSize: expectedSize, "stored size/root differ from the signed note")
        }
        guard body.size <= logSize else {
            return LedgerProblem(.checkpointBeyondLog, seq: logSize, checkpointSize: body.size,
                                 "signed for \(body.size) entries but the log has only \(logSize): entries \(logSize)..\(body.size - 1) were removed (truncated)")
        }
        let computed = body.size == 0 ? MerkleHash.emptyRoot : (try? MerkleTree.root(size: body.size, source: levels))
        guard computed == body.root else {
            return LedgerProblem(.checkpointContradicted, seq: lastMatching, checkpointSize: body.size,
                                 "its signed root \(body.root.hex.prefix(16))… differs from the log's root at that size: an entry in seq \(lastMatching)..\(body.size - 1) was rewritten after the checkpoint was signed")
        }
        return nil
    }

    private func scanParallel(_ ranges: [(Int, Int)]) throws(LedgerError) -> [EntryScanner.Result] {
        let box = ScanResults(count: ranges.count)
        let pool = store.pool
        DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
            do {
                let r = try pool.read { db in try EntryScanner.scan(db, lo: ranges[i].0, hi: ranges[i].1) }
                box.set(i, .success(r))
            } catch {
                box.set(i, .failure(error))
            }
        }
        var out: [EntryScanner.Result] = []
        for r in box.results {
            switch r {
            case .success(let v): out.append(v)
            case .failure(let e as LedgerError): throw e
            case .failure(let e): throw LedgerError.storage(path: store.path, message: "\(e)")
            case nil: throw LedgerError.storage(path: store.path, message: "scan did not complete")
            }
        }
        return out
    }

    private func compareStoredNodes(_ levels: HashLevels) throws(LedgerError) -> [LedgerProblem] {
        try store.read { db in
            var problems: [LedgerProblem] = []
            var counts = [Int](repeating: 0, count: 64)
            let stmt = try db.makeStatement(sql: "SELECT level, idx, hash FROM tree_nodes ORDER BY level, idx")
            let s = stmt.sqliteStatement
            while sqlite3_step(s) == SQLITE_ROW {
                let level = Int(sqlite3_column_int64(s, 0)), idx = Int(sqlite3_column_int64(s, 1))
                if level >= 0 && level < 64 { counts[level] += 1 }
                let firstSeq = idx << level
                guard level >= 1, idx >= 0, idx < levels.count(level: level) else {
                    if problems.count < 20 {
                        problems.append(LedgerProblem(.treeNodeMismatch, seq: levels.count(level: 0),
                                                      "a Merkle node (level \(level), index \(idx)) exists for entries that do not"))
                    }
                    continue
                }
                let ok = sqlite3_column_bytes(s, 2) == 32 && sqlite3_column_blob(s, 2).map {
                    levels.equals(level: level, index: idx, UnsafeRawBufferPointer(start: $0, count: 32))
                } == true
                if !ok, problems.count < 20 {
                    var p = LedgerProblem(.treeNodeMismatch, seq: firstSeq,
                                          "stored Merkle node (level \(level), index \(idx)) does not match entries \(firstSeq)..\(firstSeq + (1 << level) - 1)")
                    p.coveredRange = firstSeq..<(firstSeq + (1 << level))
                    problems.append(p)
                }
            }
            for level in 1..<max(levels.levels.count, 1) where counts[level] != levels.count(level: level) {
                problems.append(LedgerProblem(.treeNodeMismatch, seq: nil,
                                              "level \(level) of the Merkle tree has \(counts[level]) stored nodes, expected \(levels.count(level: level))"))
            }
            return problems
        }
    }
}

/// Results written by concurrent scan workers, each to its own slot.
private final class ScanResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var results: [Result<EntryScanner.Result, any Error>?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<EntryScanner.Result, any Error>) {
        lock.lock()
        results[i] = r
        lock.unlock()
    }
}
