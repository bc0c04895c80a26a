// Fleet benchmarks (issue 12). Central ingest with 50 plants pushing at once over the real
// HTTP route, beside a raw PostgreSQL COPY of the same rows into a scratch copy of the same
// table, in the same run on the same cluster; then the fleet queries on the ingested data.
//   swift build -c release --product FleetBench && ./.build/release/FleetBench [--quick]
import AuditTesting
import Foundation

let quick = CommandLine.arguments.contains("--quick")
let plantCount = 50
let entriesPerPlant = quick ? 2_000 : 20_000
/// `--rounds N` (default 5, 1 with --quick): fewer rounds, e.g. to profile the queries.
let rounds = CommandLine.arguments.firstIndex(of: "--rounds").flatMap { i in
    CommandLine.arguments.indices.contains(i + 1) ? Int(CommandLine.arguments[i + 1]) : nil
}.map { max(1, $0) } ?? (quick ? 1 : 5)

func line(_ s: String) { print(s); fflush(nil) }
func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = start.duration(to: .now)
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
func grouped(_ n: Double) -> String {
    let f = NumberFormatter()
    f.numberStyle = .decimal
    f.maximumFractionDigits = 0
    return f.string(from: NSNumber(value: n)) ?? "\(Int(n))"
}

line("auditctl fleet benchmarks\(quick ? " (quick)" : "") — \(ProcessInfo.processInfo.activeProcessorCount) cores, PostgreSQL cluster of its own")
line(String(repeating: "-", count: 78))
var started = ContinuousClock.now
let dataSet = try await PlantDataSet.make(plants: plantCount, entriesPerPlant: entriesPerPlant, changesPerPlant: quick ? 12 : 30)
line("data set: \(plantCount) plant ledgers × \(grouped(Double(entriesPerPlant))) entries = \(grouped(Double(dataSet.entries))) entries, "
    + "\(dataSet.pushes) pushes of ≤ \(PlantDataSet.pushBatch) entries, \(dataSet.bodyBytes / 1_000_000) MB of push bodies "
    + "(built in \(Int(seconds(since: started))) s)")

let cluster = try PostgresCluster.startPrivate()
defer { cluster.stop() }

var missed = false
var ours: [Double] = [], rawConcurrent: [Double] = [], rawSingle: [Double] = [], ratios: [Double] = []
for round in 1...rounds {
    let url = try cluster.createDatabase(prefix: "fleetbench")
    let database = PostgresCluster.databaseName(of: url)

    // Ours: 50 plants push everything through POST /fleet/v1/push; after the last round's
    // ingest, the fleet queries on what it stored (same server).
    let (load, queriesMissed) = try await BenchCentral.withServing(cluster: cluster, database: database, plants: dataSet.plants) { port in
        try cluster.psql(database: database, "CHECKPOINT")
        let load = await RawHTTPLoad.run(port: port, plants: dataSet.plants)
        guard load.failures.isEmpty else { throw BenchFailure("pushes failed: \(load.failures.prefix(5))") }
        guard round == rounds else { return (load, false) }
        try IngestCheck.exactlyOnce(cluster: cluster, database: database, dataSet: dataSet)
        try cluster.psql(database: database, "VACUUM ANALYZE")
        return (load, try await FleetQueryBench.run(port: port, cluster: cluster, database: database, dataSet: dataSet, perClient: quick ? 25 : 100))
    }
    if round < rounds { try IngestCheck.exactlyOnce(cluster: cluster, database: database, dataSet: dataSet) }
    missed = missed || queriesMissed
    let ourRate = Double(dataSet.entries) / load.seconds

    // Raw: the same rows by COPY, 50 streams at once, then one stream.
    var rates: [Double] = []
    for (table, concurrent) in [("raw_entries_concurrent", true), ("raw_entries_single", false)] {
        try cluster.psql(database: database, "CREATE TABLE \(table) (LIKE plant_entries INCLUDING ALL)")
        try cluster.psql(database: database, "CHECKPOINT")
        let s = try await RawCopyLoad.run(cluster: url, table: table, plants: dataSet.plants, concurrent: concurrent)
        rates.append(Double(dataSet.entries) / s)
        let copied = try cluster.value(database: database, "SELECT count(*) FROM \(table)")
        guard copied == String(dataSet.entries) else { throw BenchFailure("raw COPY stored \(copied) rows of \(dataSet.entries)") }
    }
    ours.append(ourRate)
    rawConcurrent.append(rates[0])
    rawSingle.append(rates[1])
    ratios.append(ourRate / rates.max()!)
    line("round \(round): central ingest \(grouped(ourRate)) entries/s (\(String(format: "%.1f", load.seconds)) s); "
        + "raw COPY \(grouped(rates[0]))/s with 50 streams, \(grouped(rates[1]))/s with 1; ratio \(String(format: "%.2f", ratios.last!))x")
}

let ratio = median(ratios)
line(String(format: "central ingest, %d plants pushing at once over HTTP:  %@ entries/s   raw COPY %@/s (50 streams) %@/s (1 stream)   ratio %.2fx of the faster raw (goal >= 0.50x, median of %d rounds)",
            plantCount, grouped(median(ours)), grouped(median(rawConcurrent)), grouped(median(rawSingle)), ratio, rounds))
line(String(format: "  per entry: central ingest %.1f µs of wall time (2 cores: HTTP, decoding, hashing, bulk INSERT, signing), raw COPY %.1f µs (1 stream)",
            1e6 / median(ours), 1e6 / median(rawSingle)))
missed = missed || ratio < 0.5
exit(missed ? 1 : 0)
