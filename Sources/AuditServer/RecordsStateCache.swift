import AuditLedger
import AuditRecords
import NIOConcurrencyHelpers

/// The replayed records state, shared by every request, under the `LedgerVersion` it was
/// replayed at. A request asks the ledger for its version (one statement) and replays only
/// when that differs: any commit to the file — an append by this server, the CLI or another
/// process, or an edit behind the ledger's back — changes the version, so no request ever
/// gets a state older than the file it asked about, and a forged entry that makes the
/// ledger need attention is seen by the very next request.
final class RecordsStateCache: Sendable {
    /// A replayed state and the version of the file it was replayed from (or a newer one:
    /// the replay starts after the version is read, so it may see a later commit, which
    /// only makes the next request replay again).
    struct Replayed: Sendable {
        let version: LedgerVersion
        let state: RecordsState
    }

    private let latest = NIOLockedValueBox<Replayed?>(nil)
    /// One replay at a time: the requests that arrive together after an append wait for
    /// one replay (tens of milliseconds on a large ledger) instead of each making its own.
    private let replaying = NIOLock()

    /// The state for the file as it is now, replayed with `replay` if it changed.
    func current(_ store: LedgerStore, replay: () throws(RecordsError) -> RecordsState) throws(RecordsError) -> Replayed {
        if let hit = try hit(store) { return hit }
        let result: Result<Replayed, RecordsError> = replaying.withLock {
            do throws(RecordsError) {
                let version = try Self.version(store)
                if let cached = latest.withLockedValue({ $0 }), cached.version == version {
                    return .success(cached) // replayed while this one waited
                }
                let fresh = Replayed(version: version, state: try replay())
                latest.withLockedValue { current in
                    if current.map({ $0.version < version }) ?? true { current = fresh }
                }
                return .success(fresh)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func hit(_ store: LedgerStore) throws(RecordsError) -> Replayed? {
        let version = try Self.version(store)
        guard let cached = latest.withLockedValue({ $0 }), cached.version == version else { return nil }
        return cached
    }

    private static func version(_ store: LedgerStore) throws(RecordsError) -> LedgerVersion {
        do { return try store.version() } catch { throw .ledger(error) }
    }
}
