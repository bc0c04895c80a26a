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
    /// Seconds an entry may be dated after a later entry, or after `referenceTime`, before it
    /// is named as suspicious (`ClockAudit`). The records layer passes the recorded policy's
    /// value, the same bound the writer and signature checks use.
    public var clockTolerance: Double = 300
    /// "Now" for the future-dated check; nil: this host's clock when `verify` runs.
    public var referenceTime: Date?

    public init(store: LedgerStore, noteVerifier: any CheckpointNoteVerifying) {
        self.store = store
        self.noteVerifier = noteVerifier
    }

    /// What one read transaction saw: everything verify checks comes from one snapshot, so
    /// an append committed meanwhile can neither truncate nor contradict what was read.
    private struct Snapshot {
        let size: Int
        let scan: EntryScanner.Result
        let levels: HashLevels
        let nodeProblems: [LedgerProblem]
        let checkpoints: [StoredCheckpoint]
        let checkpointProblems: [LedgerProblem]
    }

    /// Checks the whole ledger in one snapshot. With a `visitor`, calls it for every entry
    /// of its kinds in seq order during the same scan (see `LedgerEntryVisitor`); an error
    /// it throws ends verification: a `LedgerError` as is, any other as `.storage`.
    public func verify(trustedCheckpointNote: String? = nil,
                       visitor: LedgerEntryVisitor? = nil) throws(LedgerError) -> LedgerVerificationReport {
        let snapshot = try store.read { db -> Snapshot in
            let size = try LedgerStore.size(db)
            let scan = try EntryScanner.scan(db, size: size, visitor: visitor)
            let levels = HashLevels(leaves: scan.leaves)
            let (checkpoints, checkpointProblems) = try Self.readCheckpoints(db)
            return Snapshot(size: size, scan: scan, levels: levels, nodeProblems: try Self.compareStoredNodes(db, levels),
                            checkpoints: checkpoints, checkpointProblems: checkpointProblems)
        }
        let size = snapshot.size, levels = snapshot.levels
        var problems = snapshot.scan.problems

        // Merkle nodes: a node over an entry already reported is a consequence, not a finding.
        let entrySeqs = problems.compactMap(\.seq)
        problems += snapshot.nodeProblems.filter { node in
            guard let range = node.coveredRange else { return true }
            return !entrySeqs.contains { range.contains($0) }
        }
        let root = size == 0 ? MerkleHash.emptyRoot : (try? MerkleTree.root(size: size, source: levels)) ?? MerkleHash.emptyRoot

        // Entry times.
        let now = EntryTime.millis(referenceTime ?? Date())
        let clock = ClockAudit.findings(times: snapshot.scan.times, corrections: snapshot.scan.corrections,
                                        tolerance: clockTolerance, now: now)
        problems += clock.problems

        // Stored checkpoints.
        problems += snapshot.checkpointProblems
        let checkpoints = snapshot.checkpoints
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
                                        problems: problems, notices: clock.notices)
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

    /// Every checkpoint row; one whose columns have the wrong types is a problem, not a crash.
    private static func readCheckpoints(_ db: Database) throws -> ([StoredCheckpoint], [LedgerProblem]) {
        var good: [StoredCheckpoint] = [], problems: [LedgerProblem] = []
        for row in try Row.fetchAll(db, sql: "SELECT \(CheckpointWriter.columns) FROM checkpoints ORDER BY size") {
            do {
                good.append(try CheckpointWriter.decode(row))
            } catch {
                problems.append(LedgerProblem(.checkpointMalformed, "a stored checkpoint row is malformed: \(error)"))
            }
        }
        return (good, problems)
    }

    private static func compareStoredNodes(_ db: Database, _ levels: HashLevels) throws -> [LedgerProblem] {
        do {
            var problems: [LedgerProblem] = []
            var counts = [Int](repeating: 0, count: 64)
            let stmt = try db.makeStatement(sql: "SELECT level, idx, hash FROM tree_nodes ORDER BY level, idx")
            let s = stmt.sqliteStatement
            while sqlite3_step(s) == SQLITE_ROW {
                let level = Int(sqlite3_column_int64(s, 0)), idx = Int(sqlite3_column_int64(s, 1))
                guard sqlite3_column_type(s, 0) == SQLITE_INTEGER, sqlite3_column_type(s, 1) == SQLITE_INTEGER,
                      sqlite3_column_type(s, 2) == SQLITE_BLOB else {
                    if problems.count < 20 {
                        problems.append(LedgerProblem(.treeNodeMismatch, "a Merkle node row has columns of the wrong types"))
                    }
                    continue
                }
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
