// Ledger benchmarks (issue 2). Every figure is a ratio to a baseline measured in the same
// run on the same disk, because absolute numbers on shared machines are noise.
//   swift run -c release LedgerBench [--quick]
import AuditCore
import AuditCrypto
import AuditLedger
import AuditRecords
import AuditTesting
import Foundation
import GRDBSQLite

let quick = CommandLine.arguments.contains("--quick")
let singleCount = quick ? 500 : 3000
let concurrentCount = quick ? 1600 : 16_000
let bigLedger = quick ? 100_000 : 1_000_000

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
let payload = JSONValue.object(["model": .string("weld-defect-detector"), "version": .string("2.4.0"),
                                "reason": .string("nightly retrain on line 3 images"), "n": .number(1)])
let payloadText = payload.canonicalString()
let draft = EntryDraft(kind: EntryKind.noteAdded, actor: "writer-1", subject: "bench", payload: payload)
let fakeHash = SHA256.hash("x").bytes
func line(_ s: String) { print(s); fflush(nil) }

line("auditctl ledger benchmarks\(quick ? " (quick)" : "") — \(ProcessInfo.processInfo.activeProcessorCount) cores")
line(String(repeating: "-", count: 78))

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

// The disk's fsync latency drifts by 10x here within minutes, so each benchmark alternates
// baseline and ours in rounds and reports the median of the per-round ratios.
let rounds = quick ? 3 : 5

// 1. One durable writer.
do {
    var ratios: [Double] = [], ours: [Double] = [], raws: [Double] = []
    let t = try await TestLedger.make(synchronous: .full)
    let dir = TemporaryDirectory("bench1")
    let raw = RawSQLite(path: dir.file("raw.sqlite"), synchronous: "FULL")
    var rawSeq = 0
    for _ in 0..<rounds {
        var t0 = now()
        for _ in 0..<singleCount { raw.insertRow(seq: rawSeq, payload: payloadText, hash: fakeHash); rawSeq += 1 }
        let rawRate = Double(singleCount) / (now() - t0)
        t0 = now()
        for _ in 0..<singleCount { try await t.store.append(draft) }
        let ourRate = Double(singleCount) / (now() - t0)
        ratios.append(ourRate / rawRate); ours.append(ourRate); raws.append(rawRate)
    }
    line(String(format: "durable appends, 1 writer, async:  ours %8.0f/s  raw SQLite %8.0f/s  ratio %.2fx (median of %d rounds)",
                median(ours), median(raws), median(ratios), rounds))

    // The blocking API a single writer (CLI, edge) uses: no thread hop in or out.
    ratios = []; ours = []; raws = []
    for _ in 0..<rounds {
        var t0 = now()
        for _ in 0..<singleCount { raw.insertRow(seq: rawSeq, payload: payloadText, hash: fakeHash); rawSeq += 1 }
        let rawRate = Double(singleCount) / (now() - t0)
        t0 = now()
        for _ in 0..<singleCount { try t.store.appendSynchronously([draft]) }
        let ourRate = Double(singleCount) / (now() - t0)
        ratios.append(ourRate / rawRate); ours.append(ourRate); raws.append(rawRate)
    }
    line(String(format: "durable appends, 1 writer (FULL):  ours %8.0f/s  raw SQLite %8.0f/s  ratio %.2fx (goal >= 0.80x; blocking API)",
                median(ours), median(raws), median(ratios)))

    // The same with checkpoints signed at most every second (a service's setting).
    ratios = []; ours = []; raws = []
    let key = try String(contentsOfFile: t.keyFile, encoding: .utf8)
    let interval = try t.home.open(keySource: .signerKey(key), synchronous: .full, checkpointInterval: 1)
    for _ in 0..<rounds {
        var t0 = now()
        for _ in 0..<singleCount { raw.insertRow(seq: rawSeq, payload: payloadText, hash: fakeHash); rawSeq += 1 }
        let rawRate = Double(singleCount) / (now() - t0)
        t0 = now()
        for _ in 0..<singleCount { try interval.appendSynchronously([draft]) }
        let ourRate = Double(singleCount) / (now() - t0)
        ratios.append(ourRate / rawRate); ours.append(ourRate); raws.append(rawRate)
    }
    line(String(format: "  same, checkpoint at most every 1 s: ours %8.0f/s  raw SQLite %8.0f/s  ratio %.2fx",
                median(ours), median(raws), median(ratios)))
}

// 1b. The CPU cost alone: both sides with synchronous=NORMAL (WAL: no fsync per commit), so
// a slow or busy disk cannot hide our per-append work behind its latency.
do {
    var ratios: [Double] = [], ours: [Double] = [], raws: [Double] = []
    let t = try await TestLedger.make(synchronous: .normal)
    let dir = TemporaryDirectory("bench1b")
    let raw = RawSQLite(path: dir.file("raw.sqlite"), synchronous: "NORMAL")
    var rawSeq = 0
    for _ in 0..<rounds {
        var t0 = now()
        for _ in 0..<singleCount { raw.insertRow(seq: rawSeq, payload: payloadText, hash: fakeHash); rawSeq += 1 }
        let rawRate = Double(singleCount) / (now() - t0)
        t0 = now()
        for _ in 0..<singleCount { try t.store.appendSynchronously([draft]) }
        let ourRate = Double(singleCount) / (now() - t0)
        ratios.append(ourRate / rawRate); ours.append(ourRate); raws.append(rawRate)
    }
    line(String(format: "appends, 1 writer, NORMAL (CPU):  ours %8.0f/s  raw SQLite %8.0f/s  ratio %.2fx (checkpoint signed in every transaction)",
                median(ours), median(raws), median(ratios)))
}

// 2. 16 concurrent writers sharing group commits vs raw batched inserts of 16 rows.
do {
    var ratios: [Double] = [], ours: [Double] = [], raws: [Double] = [], perFsync: [Double] = []
    let t = try await TestLedger.make(synchronous: .full)
    let store = t.store
    let dir = TemporaryDirectory("bench2")
    let raw = RawSQLite(path: dir.file("raw.sqlite"), synchronous: "FULL")
    var seq = 0
    for _ in 0..<rounds {
        var t0 = now()
        let stop = seq + concurrentCount
        while seq < stop {
            raw.exec("BEGIN IMMEDIATE")
            for _ in 0..<16 { raw.insertRow(seq: seq, payload: payloadText, hash: fakeHash); seq += 1 }
            raw.exec("COMMIT")
        }
        let rawRate = Double(concurrentCount) / (now() - t0)
        let checkpointsBefore = try store.checkpoints().count
        t0 = now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask { for _ in 0..<(concurrentCount / 16) { try await store.append(draft) } }
            }
            try await group.waitForAll()
        }
        let ourRate = Double(concurrentCount) / (now() - t0)
        let commits = try store.checkpoints().count - checkpointsBefore
        ratios.append(ourRate / rawRate); ours.append(ourRate); raws.append(rawRate)
        perFsync.append(Double(concurrentCount) / Double(max(commits, 1)))
    }
    line(String(format: "durable appends, 16 writers:       ours %8.0f/s  raw 16-row batches %8.0f/s  ratio %.2fx (goal >= 0.50x); %.1f appends per fsync",
                median(ours), median(raws), median(ratios), median(perFsync)))
}

// 3. verify of a big ledger vs a raw scan + SHA-256 over the same column bytes.
let big = try await TestLedger.make(synchronous: .normal)
do {
    var appended = 0
    let t0 = now()
    while appended < bigLedger - 1 {
        let n = min(1000, bigLedger - 1 - appended)
        try await big.store.append(Array(repeating: draft, count: n))
        appended += n
    }
    line(String(format: "built a ledger of %d entries in %.1f s (1000-entry batches)", bigLedger, now() - t0))

    var db: OpaquePointer?
    sqlite3_open_v2(big.home.ledgerPath, &db, SQLITE_OPEN_READONLY, nil)
    var stmt: OpaquePointer?
    sqlite3_prepare_v2(db, "SELECT seq, time, kind, actor, subject, payload, prev, hash FROM entries ORDER BY seq", -1, &stmt, nil)
    var best = Double.infinity
    var rawBytes = 0
    for _ in 0..<3 {
        let s0 = now()
        let hasher = SHA256Hasher()
        rawBytes = 0
        var buf = [UInt8](); buf.reserveCapacity(1024)
        while sqlite3_step(stmt) == SQLITE_ROW {
            buf.removeAll(keepingCapacity: true)
            for c in 1...7 {
                let n = Int(sqlite3_column_bytes(stmt, Int32(c)))
                if n > 0, let p = sqlite3_column_blob(stmt, Int32(c)) {
                    buf.append(contentsOf: UnsafeRawBufferPointer(start: p, count: n))
                }
            }
            rawBytes += buf.count
            _ = buf.withUnsafeBytes { SHA256.hash($0) }
        }
        _ = hasher.finalize()
        sqlite3_reset(stmt)
        best = min(best, now() - s0)
    }
    sqlite3_finalize(stmt)
    sqlite3_close(db)

    // verify as `auditctl verify` runs it: one snapshot, the records replay fed by the scan.
    var ours = Double.infinity
    for _ in 0..<3 {
        let s0 = now()
        var replayed: [Entry] = []
        let report = try big.verifier.verify(visitor: LedgerEntryVisitor(kinds: Set(RecordsState.foldedKinds)) { replayed.append($0) })
        precondition(report.ok, "benchmark ledger does not verify: \(report.problems)")
        precondition(RecordsAudit.problems(in: replayed).isEmpty)
        ours = min(ours, now() - s0)
    }
    line(String(format: "verify %d entries + replay:   ours %6.3f s  raw scan+SHA-256 %6.3f s (%.0f MB)  ratio %.2fx (goal <= 2.00x)",
                bigLedger, ours, best, Double(rawBytes) / 1e6, ours / best))
}

// 4. Proof latency at that size.
do {
    let n = try big.store.size()
    var generator = SystemRandomNumberGenerator()
    func percentile(_ xs: [Double], _ p: Double) -> Double { xs.sorted()[min(xs.count - 1, Int(Double(xs.count) * p))] }
    var inc: [Double] = [], con: [Double] = []
    for _ in 0..<5000 {
        let seq = Int.random(in: 0..<n, using: &generator)
        let s0 = now(); _ = try big.store.inclusionProof(seq: seq); inc.append(now() - s0)
        let from = Int.random(in: 1...n, using: &generator)
        let s1 = now(); _ = try big.store.consistencyProof(from: from); con.append(now() - s1)
    }
    line(String(format: "inclusion proof at %d:        p50 %.3f ms  p99 %.3f ms (goal p99 <= 1 ms)", n, percentile(inc, 0.5) * 1000, percentile(inc, 0.99) * 1000))
    line(String(format: "consistency proof at %d:      p50 %.3f ms  p99 %.3f ms (goal p99 <= 1 ms)", n, percentile(con, 0.5) * 1000, percentile(con, 0.99) * 1000))
}
