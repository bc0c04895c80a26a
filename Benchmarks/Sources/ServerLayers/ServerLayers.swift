// ServerLayers: where the time of a ledger request goes, one layer at a time, in-process,
// on the same ledger ServerBench serves (100,000 entries; --quick: 10,000). Each layer is
// timed alone (median and mean of many runs, one thread) so a route's cost can be read as
// the sum of its parts: the thread hop to the read pool, the ledger-version query every
// session check makes, the SQL of a page or a proof, decoding, JSON encoding.
//
//   swift build -c release --product ServerLayers && .build/release/ServerLayers [--quick]
import AuditCore
import AuditLedger
import AuditRecords
import AuditServer
import Foundation
import GRDBSQLite
import ServerBenchSupport

@main
struct ServerLayers {
    static func main() async throws {
        let quick = CommandLine.arguments.contains("--quick")
        let ledger = try await BenchLedger.make(entries: quick ? 10_000 : 100_000)
        let store = ledger.store
        let size = try store.size()
        print(String(format: "ledger: %d entries (setup %.1f s); µs per operation, median / mean", size, ledger.setupSeconds))

        // `--profile NAME`: only run that operation for 15 s (under `perf record`).
        if let name = CommandLine.arguments.firstIndex(of: "--profile").map({ CommandLine.arguments[$0 + 1] }) {
            let operations: [String: () throws -> Void] = [
                "canonical": { _ = try store.canonicalEntries(EntryFilter(fromSeq: Int.random(in: 0..<(size - 51)), limit: 51)) },
                "entries": { _ = try store.entries(EntryFilter(fromSeq: Int.random(in: 0..<(size - 51)), limit: 51)) },
                "inclusion": { _ = try store.inclusionProof(seq: Int.random(in: 0..<size)) },
                "consistency": { _ = try store.consistencyProof(from: Int.random(in: 1..<size)) },
            ]
            guard let operation = operations[name] else { fatalError("--profile \(operations.keys.sorted())") }
            let end = Date() + 15
            var count = 0
            while Date() < end { try operation(); count += 1 }
            print("\(name): \(count) in 15 s")
            return
        }

        var layers = LayerTimer()
        let pool = BlockingPool(name: "layers", threads: 4)
        let one: @Sendable () async -> Int = { 1 }
        var hops: [Double] = []
        for i in 0..<2_050 {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = await pool.run(one)
            if i >= 50 { hops.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1000) }
        }
        layers.record("thread hop: await BlockingPool.run { } (round trip)", hops)
        hops = []
        let nested: @Sendable () async -> Int = { await pool.run(one) }
        for i in 0..<2_050 {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = await pool.run(nested)
            if i >= 50 { hops.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1000) }
        }
        layers.record("thread hop: BlockingPool.run nested in BlockingPool.run", hops)
        layers.time("LedgerStore.size() (GRDB read transaction + MAX(seq))") { _ = try! store.size() }
        layers.time("LedgerStore.version() (PRAGMA data_version, own connection)") { _ = try! store.version() }

        // Raw statements here are prepared on each call (a few µs of every raw figure).
        let raw = RawReader(path: store.path)
        layers.time("raw: SELECT MAX(seq)") { raw.scalar("SELECT MAX(seq) FROM entries") }
        layers.time("raw: PRAGMA data_version") { raw.scalar("PRAGMA data_version") }
        layers.time("raw: SELECT count(*), min, max (RowGuard shape)", runs: 50) { raw.scalar("SELECT count(*), min(seq), max(seq) FROM entries") }
        layers.time("raw: malformed-row index probe (RowGuard)") {
            raw.scalar("SELECT seq FROM entries WHERE typeof(time) != 'text' OR typeof(kind) != 'text' OR typeof(actor) != 'text' OR typeof(subject) != 'text' OR typeof(payload) != 'text' OR typeof(prev) != 'blob' OR typeof(hash) != 'blob' OR length(prev) != 32 OR length(hash) != 32 OR seq < 0 LIMIT 1")
        }
        layers.time("raw: 51 rows from a random seq (all columns read)") { raw.page(from: Int.random(in: 0..<(size - 51)), limit: 51) }
        layers.time("raw: one tree_nodes lookup") { raw.scalar("SELECT hash FROM tree_nodes WHERE level = 3 AND idx = \(Int.random(in: 0..<(size >> 3)))") }

        let mapped = RawReader(path: store.path, mmapBytes: 1 << 30)
        layers.time("raw, mmap: 51 rows from a random seq") { mapped.page(from: Int.random(in: 0..<(size - 51)), limit: 51) }
        layers.time("raw, mmap: one tree_nodes lookup") { mapped.scalar("SELECT hash FROM tree_nodes WHERE level = 3 AND idx = \(Int.random(in: 0..<(size >> 3)))") }
        layers.time("raw, mmap: SELECT count(*), min, max", runs: 50) { mapped.scalar("SELECT count(*), min(seq), max(seq) FROM entries") }
        layers.time("LedgerStore.leafHash(random) (GRDB read transaction + 1 node)") { _ = try! store.leafHash(seq: Int.random(in: 0..<size)) }

        let filter = { EntryFilter(fromSeq: Int.random(in: 0..<(size - 51)), limit: 51) }
        layers.time("LedgerStore.entries(page of 51) (RowGuard + SQL + decode)") { _ = try! store.entries(filter()) }
        layers.time("LedgerStore.canonicalEntries(page of 51) (raw, memo, template)") { _ = try! store.canonicalEntries(filter()) }
        let page = try store.entries(filter())
        let payloadTexts = page.map { $0.payload.canonicalBytes() }
        layers.time("JSONValue.parse of 51 stored payloads") { for t in payloadTexts { _ = try! JSONValue.parse(t) } }
        layers.time("encode page: entries → JSONValue → canonical bytes") {
            _ = JSONValue.object(["entries": .array(page.map(\.jsonValue)), "next": .number(1), "size": .number(Double(size))]).canonicalBytes()
        }

        let checkpoint = try store.latestCheckpoint()!
        layers.time("LedgerStore.latestCheckpoint()") { _ = try! store.latestCheckpoint() }
        for seq in stride(from: 0, to: checkpoint.size, by: 1) { _ = try store.inclusionProof(seq: seq, size: checkpoint.size) } // warm the node memo
        layers.time("LedgerStore.inclusionProof(random seq, checkpoint size)") { _ = try! store.inclusionProof(seq: Int.random(in: 0..<checkpoint.size), size: checkpoint.size) }
        layers.time("LedgerStore.inclusionProof(random seq, size nil)") { _ = try! store.inclusionProof(seq: Int.random(in: 0..<size)) }
        layers.time("LedgerStore.consistencyProof(from random)") { _ = try! store.consistencyProof(from: Int.random(in: 1..<size)) }
        layers.time("LedgerStore.root(size nil)") { _ = try! store.root() }

        let service = RecordsService(store: store, directory: ledger.home.directory, configuration: .testing)
        layers.time("RecordsService.replayedState() (a state-cache miss)", runs: 20) { _ = try! service.replayedState() }
        pool.shutdown()
    }
}

/// Runs each layer many times and prints median and mean per operation in µs.
struct LayerTimer {
    mutating func time(_ label: String, runs: Int = 2_000, _ body: () -> Void) {
        for _ in 0..<min(runs, 50) { body() } // warm caches
        var samples: [Double] = []
        samples.reserveCapacity(runs)
        for _ in 0..<runs {
            let t = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1000)
        }
        record(label, samples)
    }

    mutating func record(_ label: String, _ samples: [Double]) {
        let sorted = samples.sorted()
        let median = sorted[sorted.count / 2], mean = samples.reduce(0, +) / Double(samples.count)
        print("  " + label.padding(toLength: 66, withPad: " ", startingAt: 0) + String(format: "%9.1f / %9.1f", median, mean))
    }

}

/// One read-only SQLite connection driven through the C API: what the SQL alone costs,
/// with nothing of ours in between.
final class RawReader {
    private var db: OpaquePointer?

    init(path: String, mmapBytes: Int = 0) {
        precondition(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK)
        if mmapBytes > 0 { scalar("PRAGMA mmap_size = \(mmapBytes)") }
    }

    deinit { sqlite3_close(db) }

    func scalar(_ sql: String) {
        var s: OpaquePointer?
        precondition(sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK, String(cString: sqlite3_errmsg(db)))
        while sqlite3_step(s) == SQLITE_ROW { _ = sqlite3_column_int64(s, 0) }
        sqlite3_finalize(s)
    }

    func page(from: Int, limit: Int) {
        var s: OpaquePointer?
        sqlite3_prepare_v2(db, "SELECT seq, time, kind, actor, subject, payload, prev, hash FROM entries WHERE seq >= ? ORDER BY seq LIMIT ?", -1, &s, nil)
        sqlite3_bind_int64(s, 1, Int64(from))
        sqlite3_bind_int64(s, 2, Int64(limit))
        while sqlite3_step(s) == SQLITE_ROW {
            for c in 0..<8 { _ = sqlite3_column_bytes(s, Int32(c)) }
        }
        sqlite3_finalize(s)
    }
}
