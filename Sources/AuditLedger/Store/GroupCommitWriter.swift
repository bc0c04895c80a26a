import AuditCore
import AuditCrypto
import Dispatch
import Foundation
import GRDB

/// The single writer of a ledger. Appenders enqueue groups of drafts; one drain loop takes
/// everything queued, writes it in one IMMEDIATE transaction (one fsync under
/// synchronous=FULL), signs a checkpoint for the new size inside the same transaction, and
/// only then resumes the appenders. Under load, the queue fills while the previous
/// transaction syncs, so the cost of an fsync is shared by every appender waiting on it.
final class GroupCommitWriter: @unchecked Sendable {
    struct Pending: Sendable {
        let drafts: [ValidatedDraft]
        let forceCheckpoint: Bool
        /// Resumes the appender: an async continuation, or a semaphore for a blocking caller.
        let complete: @Sendable (Result<BatchResult, any Error>) -> Void
    }

    struct BatchResult: Sendable {
        let entries: [Entry]
        let checkpoint: StoredCheckpoint?
    }

    private struct State {
        var queue: [Pending] = []
        var draining = false
        var flushScheduled = false
    }

    /// Checkpoint bookkeeping, touched only by the current drainer (the `draining` flag
    /// under the mutex makes draining exclusive and publishes these between drainers).
    private var lastCheckpointAt = DispatchTime(uptimeNanoseconds: 0)
    private var unsignedEntries = false
    /// 0: sign a checkpoint in every append transaction. Above 0: sign in an append's
    /// transaction at most this often, and sign any remaining tail when the writer has been
    /// idle that long, so every entry is covered within the interval (like a CT log's MMD).
    let checkpointInterval: Double

    private let pool: DatabasePool
    private let path: String
    private let origin: String
    /// Settable after opening: the log key is unlocked once the ledger's origin and
    /// verifier key are known, without opening the file a second time.
    private let signerBox: Locked<(any CheckpointSigning)?>
    var signer: (any CheckpointSigning)? {
        get { signerBox.withLock { $0 } }
        set { signerBox.withLock { $0 = newValue } }
    }
    private let state = Locked(State())
    private let queue = DispatchQueue(label: "auditctl.ledger.group-commit")
    /// Touched only on `queue` (the drain loop), so it needs no lock of its own.
    private let frontier = FrontierCache()

    init(pool: DatabasePool, path: String, origin: String, signer: (any CheckpointSigning)?,
         checkpointInterval: Double = 0) {
        self.checkpointInterval = checkpointInterval
        self.pool = pool
        self.path = path
        self.origin = origin
        self.signerBox = Locked(signer)
    }

    var canSignCheckpoints: Bool { signer != nil }

    /// Appends `drafts` atomically and contiguously; returns once they are durable.
    func submit(_ drafts: [ValidatedDraft], forceCheckpoint: Bool = false) async throws -> BatchResult {
        try await withCheckedThrowingContinuation { continuation in
            let pending = Pending(drafts: drafts, forceCheckpoint: forceCheckpoint) { continuation.resume(with: $0) }
            if enqueue(pending) { queue.async { self.drain() } }
        }
    }

    /// The same for a caller that may block (the CLI, a single edge writer): when no drain is
    /// running, the write happens right here on the caller's thread, with no thread hop in or
    /// out; otherwise the caller waits for the running drain to take it along.
    func submitBlocking(_ drafts: [ValidatedDraft], forceCheckpoint: Bool = false) throws -> BatchResult {
        let done = DispatchSemaphore(value: 0)
        let box = Locked<Result<BatchResult, any Error>?>(nil)
        let pending = Pending(drafts: drafts, forceCheckpoint: forceCheckpoint) { r in
            box.withLock { $0 = r }
            done.signal()
        }
        if enqueue(pending) { drain() }
        done.wait()
        guard let result = box.withLock({ $0 }) else {
            throw LedgerError.storage(path: path, message: "append finished without a result")
        }
        return try result.get()
    }

    /// Queues `pending`; true when the caller must start draining.
    private func enqueue(_ pending: Pending) -> Bool {
        state.withLock { s -> Bool in
            s.queue.append(pending)
            if s.draining { return false }
            s.draining = true
            return true
        }
    }

    private func drain() {
        while true {
            var flushAt: DispatchTime?
            let batch = state.withLock { s -> [Pending] in
                guard !s.queue.isEmpty else {
                    // Decided while still the drainer: the bookkeeping below is ours until
                    // `draining` is cleared in this same critical section.
                    if checkpointInterval > 0, unsignedEntries, signer != nil, !s.flushScheduled {
                        s.flushScheduled = true
                        flushAt = lastCheckpointAt + checkpointInterval
                    }
                    s.draining = false
                    return []
                }
                var taken: [Pending] = []
                var count = 0
                while let next = s.queue.first,
                      taken.isEmpty || count + next.drafts.count <= Limits.maxGroupCommitEntries {
                    taken.append(next)
                    count += next.drafts.count
                    s.queue.removeFirst()
                }
                return taken
            }
            if batch.isEmpty {
                if let flushAt { scheduleCheckpointFlush(at: flushAt) }
                return
            }
            do {
                let results = try write(batch)
                for (p, r) in zip(batch, results) { p.complete(.success(r)) }
            } catch {
                let mapped: any Error = (error as? LedgerError) ?? LedgerError.storage(path: path, message: "\(error)")
                for p in batch { p.complete(.failure(mapped)) }
            }
        }
    }

    private func write(_ batch: [Pending]) throws -> [BatchResult] {
        var failed = true
        defer { if failed { frontier.reset() } }
        return try pool.writeWithoutTransaction { db in
            var results: [BatchResult] = []
            try db.inTransaction(.immediate) {
                results = []
                var tail = try ChainTail.read(db)
                let nodes = frontier.source(for: db, size: tail.size)
                var perGroup: [[Entry]] = []
                for pending in batch {
                    var written: [Entry] = []
                    for draft in pending.drafts {
                        written.append(try append(draft, tail: &tail, nodes: nodes, db: db))
                    }
                    perGroup.append(written)
                }
                var checkpoint: StoredCheckpoint?
                let appended = perGroup.contains { !$0.isEmpty }
                let due = checkpointInterval == 0
                    || Double(DispatchTime.now().uptimeNanoseconds - lastCheckpointAt.uptimeNanoseconds) / 1e9 >= checkpointInterval
                if let signer, (appended && due) || batch.contains(where: \.forceCheckpoint) {
                    checkpoint = try CheckpointWriter.signAndStore(size: tail.size, origin: origin, signer: signer,
                                                                   db: db, nodes: nodes, isNewSize: appended)
                }
                if checkpoint != nil {
                    lastCheckpointAt = DispatchTime.now()
                    unsignedEntries = false
                } else if appended {
                    unsignedEntries = true
                }
                results = perGroup.map { BatchResult(entries: $0, checkpoint: checkpoint) }
                return .commit
            }
            failed = false
            return results
        }
    }

    /// With an interval, an idle writer signs the unsigned tail once the interval has passed.
    private func scheduleCheckpointFlush(at deadline: DispatchTime) {
        queue.asyncAfter(deadline: deadline) { [self] in
            state.withLock { $0.flushScheduled = false }
            // Runs like any other batch, so it serializes with appends; a forced checkpoint
            // for a size that already has one returns the existing one.
            Task { _ = try? await self.submit([], forceCheckpoint: true) }
        }
    }

    private func append(_ draft: ValidatedDraft, tail: inout ChainTail, nodes: FrontierNodeSource, db: Database) throws -> Entry {
        let now = UTCTime.now()
        // Times never go backwards in the record, even if the wall clock does.
        let time = now < tail.lastTime ? tail.lastTime : now
        let (payload, canonicalPayload) = try draft.finalPayload(seq: tail.size, time: time, prev: tail.hash)
        let entry = Entry(seq: tail.size, time: time, kind: draft.kind, actor: draft.actor,
                          subject: draft.subject, payload: payload, prev: tail.hash)
        let leaf = EntryEncoding.leafInput(seq: entry.seq, time: time, kind: draft.kind, actor: draft.actor,
                                           subject: draft.subject, canonicalPayload: canonicalPayload,
                                           prev: tail.hash).withUnsafeBytes { SHA256.hash($0) }
        try db.cachedStatement(sql: "INSERT INTO entries(seq, time, kind, actor, subject, payload, prev, hash) VALUES (?,?,?,?,?,?,?,?)")
            .execute(arguments: [entry.seq, time, entry.kind, entry.actor, entry.subject, canonicalPayload,
                                 Data(entry.prev.bytes), Data(leaf.bytes)])
        let completed = try MerkleTree.completedNodes(appendingLeafAt: entry.seq, leafHash: leaf, source: nodes)
        let insertNode = try db.cachedStatement(sql: "INSERT INTO tree_nodes(level, idx, hash) VALUES (?,?,?)")
        for n in completed {
            try insertNode.execute(arguments: [n.level, n.index, Data(n.hash.bytes)])
        }
        nodes.remember(level: 0, index: entry.seq, hash: leaf)
        for n in completed { nodes.remember(level: n.level, index: n.index, hash: n.hash) }
        tail = ChainTail(size: tail.size + 1, hash: leaf, lastTime: time)
        return entry
    }
}

/// The last entry's position, hash and time, read inside the write transaction so that
/// another process appending to the same file can never fork the chain.
struct ChainTail {
    var size: Int
    var hash: Digest
    var lastTime: String

    static func read(_ db: Database) throws -> ChainTail {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash, time FROM entries ORDER BY seq DESC LIMIT 1")) else {
            return ChainTail(size: 0, hash: .zero, lastTime: "")
        }
        let seq: Int = row["seq"]
        guard let h = Digest(bytes: [UInt8](row["hash"] as Data)) else {
            throw LedgerError.corrupted(seq: seq, reason: "stored hash is not 32 bytes")
        }
        return ChainTail(size: seq + 1, hash: h, lastTime: row["time"])
    }
}
