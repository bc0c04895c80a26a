import AuditCore
import AuditLedger
import AuditPolicy
import AuditRecords
import Foundation
import NIOConcurrencyHelpers

/// The server's one handle on the data directory: the store (log key unlocked), the
/// records service every action goes through, and a replayed state shared by all reads,
/// replayed again whenever anything was committed to the file (`RecordsStateCache`), so
/// entries appended by the CLI or another process show up at the next request, and a
/// 100,000-entry ledger costs one `PRAGMA data_version` per request instead of a replay.
public final class ServerLedger: Sendable {
    public let home: LedgerHome
    public let store: LedgerStore
    public let service: RecordsService
    let reads: BlockingPool
    let actions: BlockingPool
    /// One action at a time on the action threads (see `ActionGate`).
    let gate = ActionGate()
    private let states = RecordsStateCache()
    /// The last `verify` report and the ledger version it covered (`LedgerCheck`).
    let verifyCache = NIOLockedValueBox<(version: LedgerVersion, report: JSONValue)?>(nil)

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

    /// Blocking reads (SQLite, replay) off the event loops and the cooperative pool. Free
    /// when the caller is on a read thread already (`onReadThreads`).
    func read<T: Sendable>(_ body: @Sendable () throws -> T) async throws -> T {
        try await reads.run { () async throws -> T in try body() }
    }

    /// Runs `body` on the read threads. The session check starts each signed-in request
    /// this way and runs the route inside, so the route's own reads need no second hop.
    func onReadThreads<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await reads.run(body)
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

    /// The replayed state, refusing one with unacknowledged problems (`needsAttention`),
    /// and the ledger version it stands for. Call on a read thread.
    func checkedStateNow() throws(RecordsError) -> RecordsStateCache.Replayed {
        let replayed = try replayedNow()
        let open = replayed.state.openProblems
        if let first = open.first { throw .needsAttention(first: first, count: open.count) }
        return replayed
    }

    /// `checkedStateNow` without the version.
    func stateNow() throws(RecordsError) -> RecordsState {
        try checkedStateNow().state
    }

    /// The replayed state with its problems, replayed again only if the file changed.
    func replayedNow() throws(RecordsError) -> RecordsStateCache.Replayed {
        try states.current(store) { () throws(RecordsError) in try service.replayedState() }
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
