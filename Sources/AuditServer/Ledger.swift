import AuditCore
import AuditLedger
import AuditPolicy
import AuditRecords
import Foundation
import NIOConcurrencyHelpers

/// The server's one handle on the data directory: the store (log key unlocked), the
/// records service every action goes through, and a replayed state shared by all reads.
///
/// The state is cached by ledger size and replayed again whenever the size changes, so
/// entries appended by the CLI or another process show up at the next request, and a
/// 100,000-entry ledger costs one `SELECT MAX(seq)` per read instead of a replay.
public final class ServerLedger: Sendable {
    public let home: LedgerHome
    public let store: LedgerStore
    public let service: RecordsService
    let reads: BlockingPool
    let actions: BlockingPool
    /// One action at a time on the action threads (see `ActionGate`).
    let gate = ActionGate()
    private let cache = NIOLockedValueBox<RecordsState?>(nil)
    /// The last `verify` report and the size it covered (`LedgerCheck`).
    let verifyCache = NIOLockedValueBox<(size: Int, report: JSONValue)?>(nil)

    init(options: ServerOptions) throws(LedgerError) {
        home = LedgerHome(directory: options.dataDirectory)
        store = try home.open(keySource: options.logKey)
        service = RecordsService(store: store, directory: options.dataDirectory, configuration: options.records,
                                 clock: options.clock)
        reads = BlockingPool(name: "auditctl-read", threads: options.readThreads)
        actions = BlockingPool(name: "auditctl-action", threads: options.actionThreads)
    }

    func shutdown() {
        reads.shutdown()
        actions.shutdown()
    }

    /// Blocking reads (SQLite, replay) off the event loops and the cooperative pool.
    func read<T: Sendable>(_ body: @Sendable () throws -> T) async throws -> T {
        try await reads.run { () async throws -> T in try body() }
    }

    /// Actions (Argon2id, key unsealing, the records lock, appends) on their own threads,
    /// so a burst of logins or signatures never delays reads.
    func act<T: Sendable>(_ body: @Sendable () async throws(RecordsError) -> T) async throws(RecordsError) -> T {
        await gate.enter()
        do {
            let result = try await actions.run { () async throws(RecordsError) -> T in try await body() }
            await gate.leave()
            return result
        } catch {
            await gate.leave()
            throw error
        }
    }

    /// The replayed state, refusing one with unacknowledged problems (`needsAttention`).
    /// Call on a blocking pool thread.
    func stateNow() throws(RecordsError) -> RecordsState {
        let state = try replayedNow()
        let open = state.openProblems
        if let first = open.first { throw .needsAttention(first: first, count: open.count) }
        return state
    }

    /// The replayed state with its problems, from the cache when the ledger has not grown.
    func replayedNow() throws(RecordsError) -> RecordsState {
        let size: Int
        do { size = try store.size() } catch { throw .ledger(error) }
        if let cached = cache.withLockedValue({ $0 }), cached.size == size { return cached }
        let fresh = try service.replayedState()
        cache.withLockedValue { current in
            if (current?.size ?? -1) < fresh.size { current = fresh }
        }
        return fresh
    }

    /// `stateNow` on a read thread.
    func state() async throws(RecordsError) -> RecordsState {
        do {
            return try await read { () throws -> RecordsState in try self.stateNow() }
        } catch let e as RecordsError {
            throw e
        } catch {
            throw .storage(path: store.path, reason: "\(error)")
        }
    }

    /// The approval policy in force, or 409 when none has been recorded and confirmed yet.
    func policy(in state: RecordsState) throws(RecordsError) -> ApprovalPolicy {
        guard let policy = state.policy else {
            throw .conflict("no approval policy is in force yet: an admin records one (`auditctl policy record`) and a second admin confirms it")
        }
        return policy
    }
}
