import AuditCore
import AuditCrypto
import Dispatch
import Foundation

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
    var lastCheckpointAt = DispatchTime(uptimeNanoseconds: 0)
    var unsignedEntries = false
    /// 0: sign a checkpoint in every append transaction. Above 0: sign in an append's
    /// transaction at most this often, and sign any remaining tail when the writer has been
    /// idle that long, so every entry is covered within the interval (like a CT log's MMD).
    let checkpointInterval: Double
    /// Seconds the host clock may be behind the newest entry (`EntryClock`). Settable: the
    /// records layer learns the recorded policy's value only after opening the ledger.
    private let toleranceBox: Locked<Double>
    var clockTolerance: Double {
        get { toleranceBox.withLock { $0 } }
        set { toleranceBox.withLock { $0 = newValue } }
    }

    let path: String
    let origin: String
    let synchronous: LedgerStore.Synchronous
    let busyTimeout: TimeInterval
    /// Settable after opening: the log key is unlocked once the ledger's origin and
    /// verifier key are known, without opening the file a second time.
    private let signerBox: Locked<(any CheckpointSigning)?>
    var signer: (any CheckpointSigning)? {
        get { signerBox.withLock { $0 } }
        set { signerBox.withLock { $0 = newValue } }
    }
    private let state = Locked(State())
    private let queue = DispatchQueue(label: "auditctl.ledger.group-commit")
    /// The connection and what the writer knows of the file, behind one lock: the drainer
    /// holds it for a whole transaction, `synchronousLevel()` briefly.
    let storage = Locked(WriterStorage())

    init(path: String, origin: String, options: LedgerStore.Options) {
        self.checkpointInterval = options.checkpointInterval
        self.toleranceBox = Locked(options.clockTolerance)
        self.path = path
        self.origin = origin
        self.synchronous = options.synchronous
        self.busyTimeout = options.busyTimeout
        self.signerBox = Locked(options.checkpointSigner)
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
                let results = try storage.withLock { try write(batch, storage: &$0) }
                for (p, r) in zip(batch, results) { p.complete(r) }
            } catch {
                let mapped: any Error = (error as? LedgerError) ?? LedgerError.storage(path: path, message: "\(error)")
                for p in batch { p.complete(.failure(mapped)) }
            }
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
}
