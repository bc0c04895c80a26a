import AuditCore
import AuditCrypto
import Dispatch
import Foundation
import GRDBSQLite

/// What the writer keeps between transactions: its connection (opened on the first write)
/// and the chain tail it last committed, valid while no other connection has committed
/// since (SQLite's `PRAGMA data_version` says so), which saves re-reading it every time.
struct WriterStorage {
    var connection: WriterConnection?
    var tail: ChainTail?
    var dataVersion: Int64?
    let frontier = FrontierCache()
}

/// One entry of a group, fully prepared before anything is written: its time, signed
/// payload and leaf hash. Preparing can fail for that group alone (clock behind, signing,
/// a correction naming no earlier entry); writing can only fail for the whole transaction.
private struct StagedEntry {
    let entry: Entry
    let canonicalPayload: String
    let leaf: Digest
    let tail: ChainTail
}

extension GroupCommitWriter {
    /// Writes a batch in one IMMEDIATE transaction. Returns one result per pending group: a
    /// group that cannot be prepared fails alone, the others are written; a storage error
    /// rolls everything back and throws.
    func write(_ batch: [Pending], storage: inout WriterStorage) throws -> [Result<BatchResult, any Error>] {
        let c = try connection(&storage)
        try c.statement("BEGIN IMMEDIATE").run()
        do {
            // Read under the write lock: no one else can commit until we do.
            let version = try c.queryInt("PRAGMA data_version")
            var tail: ChainTail
            if let cached = storage.tail, version != nil, version == storage.dataVersion {
                tail = cached
            } else {
                tail = try ChainTail.read(c)
                storage.frontier.reset()
            }
            let nodes = storage.frontier.source(fallback: WriterNodeSource(connection: c), size: tail.size)
            var outcomes: [Result<[Entry], any Error>] = []
            for pending in batch {
                let staged: [StagedEntry]
                do {
                    staged = try stage(pending.drafts, after: tail)
                } catch {
                    outcomes.append(.failure(error))
                    continue
                }
                for e in staged { try insert(e, nodes: nodes, connection: c) }
                if let last = staged.last { tail = last.tail }
                outcomes.append(.success(staged.map(\.entry)))
            }
            let appended = outcomes.contains { (try? $0.get())?.isEmpty == false }
            let due = checkpointInterval == 0
                || Double(DispatchTime.now().uptimeNanoseconds - lastCheckpointAt.uptimeNanoseconds) / 1e9 >= checkpointInterval
            var checkpoint: StoredCheckpoint?
            if let signer, (appended && due) || batch.contains(where: \.forceCheckpoint) {
                checkpoint = try CheckpointWriter.signAndStore(size: tail.size, origin: origin, signer: signer,
                                                               connection: c, nodes: nodes, isNewSize: appended)
            }
            try c.statement("COMMIT").run()
            storage.tail = tail
            storage.dataVersion = version
            if checkpoint != nil {
                lastCheckpointAt = DispatchTime.now()
                unsignedEntries = false
            } else if appended {
                unsignedEntries = true
            }
            return outcomes.map { $0.map { BatchResult(entries: $0, checkpoint: checkpoint) } }
        } catch {
            if sqlite3_get_autocommit(c.handle) == 0 { try? c.exec("ROLLBACK") }
            storage.tail = nil
            storage.dataVersion = nil
            storage.frontier.reset()
            throw error
        }
    }

    /// `PRAGMA synchronous` of the writer connection (opening it if needed).
    func synchronousLevel() throws(LedgerError) -> Int {
        do {
            return try storage.withLock { s in Int(try connection(&s).queryInt("PRAGMA synchronous") ?? -1) }
        } catch {
            throw (error as? LedgerError) ?? .storage(path: path, message: "\(error)")
        }
    }

    func connection(_ storage: inout WriterStorage) throws(LedgerError) -> WriterConnection {
        if let c = storage.connection { return c }
        let c = try WriterConnection(path: path, synchronous: synchronous, busyTimeout: busyTimeout)
        storage.connection = c
        return c
    }

    private func stage(_ drafts: [ValidatedDraft], after start: ChainTail) throws -> [StagedEntry] {
        var tail = start
        var staged: [StagedEntry] = []
        for draft in drafts {
            let seq = tail.size
            if let n = draft.correctedSeq, n >= seq {
                throw LedgerError.invalidDraft(field: "payload.seq",
                                               reason: "a clock correction names an earlier entry; \(n) is not below this entry's seq \(seq)")
            }
            let time = try EntryClock.time(isCorrection: draft.correctedSeq != nil, now: Date(), tail: tail,
                                           tolerance: clockTolerance)
            let (payload, canonicalPayload) = try draft.finalPayload(seq: seq, time: time.text, prev: tail.hash)
            let leaf = EntryEncoding.leafInput(seq: seq, time: time.text, kind: draft.kind, actor: draft.actor,
                                               subject: draft.subject, canonicalPayload: canonicalPayload,
                                               prev: tail.hash).withUnsafeBytes { SHA256.hash($0) }
            let entry = Entry(seq: seq, time: time.text, kind: draft.kind, actor: draft.actor,
                              subject: draft.subject, payload: payload, prev: tail.hash)
            tail = ChainTail(size: seq + 1, hash: leaf, lastTime: time.text, lastMillis: time.millis)
            staged.append(StagedEntry(entry: entry, canonicalPayload: canonicalPayload, leaf: leaf, tail: tail))
        }
        return staged
    }

    private func insert(_ e: StagedEntry, nodes: FrontierNodeSource, connection c: WriterConnection) throws {
        let s = try c.statement("INSERT INTO entries(seq, time, kind, actor, subject, payload, prev, hash) VALUES (?,?,?,?,?,?,?,?)")
        s.bind(1, e.entry.seq)
        s.bind(2, e.entry.time)
        s.bind(3, e.entry.kind)
        s.bind(4, e.entry.actor)
        s.bind(5, e.entry.subject)
        s.bind(6, e.canonicalPayload)
        s.bind(7, e.entry.prev.bytes)
        s.bind(8, e.leaf.bytes)
        try s.run()
        let completed = try MerkleTree.completedNodes(appendingLeafAt: e.entry.seq, leafHash: e.leaf, source: nodes)
        if !completed.isEmpty {
            let insertNode = try c.statement("INSERT INTO tree_nodes(level, idx, hash) VALUES (?,?,?)")
            for n in completed {
                insertNode.bind(1, n.level)
                insertNode.bind(2, n.index)
                insertNode.bind(3, n.hash.bytes)
                try insertNode.run()
            }
        }
        nodes.remember(level: 0, index: e.entry.seq, hash: e.leaf)
        for n in completed { nodes.remember(level: n.level, index: n.index, hash: n.hash) }
    }
}
