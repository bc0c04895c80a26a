import AuditCore
import AuditTesting
import Foundation

/// Fleet query latencies over HTTP on the ingested data set (50 plants × 20,000 entries):
/// plant health, deployments (current, history, one plant and zone), changes waiting for
/// signatures, and a model's entries page by page. Each route is asked `perClient` times by
/// four clients at once on keep-alive connections; the baseline is `GET /healthz` of the
/// same server in the same run. The first query after the start replays every plant's
/// records into the central's cache and is reported apart. Goal: p99 ≤ 50 ms per route.
enum FleetQueryBench {
    struct Route {
        let name: String
        /// The path of request `i` (the entries route pages through `next` cursors).
        let path: @Sendable (Int) -> String
    }

    static let clients = 4
    static let goalMillis = 50.0
    /// A route slower than its goal by far would take hours at full count: each route stops
    /// after this many seconds (the report says how many requests it got).
    static let secondsPerRoute = 30.0

    /// Returns true when a goal was missed. Runs on a thread of its own: its clients block,
    /// and the in-process server needs Swift's cooperative threads.
    static func run(port: Int, cluster: PostgresCluster, database: String, dataSet: PlantDataSet,
                    perClient: Int) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try runBlocking(port: port, cluster: cluster, database: database, dataSet: dataSet, perClient: perClient)
                })
            }
        }
    }

    static func runBlocking(port: Int, cluster: PostgresCluster, database: String, dataSet: PlantDataSet,
                            perClient: Int) throws -> Bool {
        let auth = [("Authorization", "Bearer \(BenchCentral.readerToken)")]
        let first = ContinuousClock.now
        let cold = try RawHTTPConnection(port: port, timeout: 600).get(path: "/fleet/v1/changes", headers: auth)
        guard cold.status == 200 else { throw BenchFailure("GET /fleet/v1/changes: \(cold.status) \(cold.text.prefix(300))") }
        line(String(format: "fleet queries: first query after start (replays every plant's records into the cache): %.0f ms",
                    seconds(since: first) * 1000))

        let model = PlantRecordsMaker.models[0]   // change IDs are "<model>-<plant>-<n>"
        let expected = Int(try cluster.value(database: database, "SELECT count(*) FROM plant_entries WHERE subject LIKE '\(model)-%'")) ?? -1
        let (pages, allPages) = try entryPages(port: port, model: model, auth: auth, expected: expected)
        let plant = dataSet.plants[dataSet.plants.count / 2].origin.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let routes = [
            Route(name: "GET /healthz (baseline)") { _ in "/healthz" },
            Route(name: "GET /fleet/v1/plants (health of 50)") { _ in "/fleet/v1/plants" },
            Route(name: "GET /fleet/v1/deployments?model=") { _ in "/fleet/v1/deployments?model=\(model)" },
            Route(name: "GET /fleet/v1/deployments?model=&history=true") { _ in "/fleet/v1/deployments?model=\(model)&history=true" },
            Route(name: "GET /fleet/v1/deployments?plant=&zone=") { _ in "/fleet/v1/deployments?plant=\(plant)&zone=line1-ai" },
            Route(name: "GET /fleet/v1/changes (pending, all plants)") { _ in "/fleet/v1/changes" },
            Route(name: "GET /fleet/v1/entries?model=&limit=100 (\(allPages ? "" : "first ")\(pages.count) pages)") { i in pages[i % pages.count] },
        ]
        var missed = false
        var baseline = 0.0
        for route in routes {
            let millis = try measure(port: port, route: route, auth: auth, perClient: perClient)
            let p50 = percentile(millis, 0.50), p99 = percentile(millis, 0.99)
            let count = millis.count < clients * perClient ? String(format: ", %d requests in %.0f s", millis.count, secondsPerRoute) : ""

            if baseline == 0 { baseline = p99 }
            let isGoal = route.name.contains("/fleet/v1/")
            let verdict = isGoal ? (p99 <= goalMillis ? "met" : "MISSED") : "—"
            if isGoal && p99 > goalMillis { missed = true }
            let name = route.name.padding(toLength: 60, withPad: " ", startingAt: 0)
            line(name + String(format: " p50 %7.2f ms  p99 %7.2f ms  (%5.1fx the baseline p99; goal p99 <= %.0f ms: %@%@)",
                               p50, p99, p99 / baseline, goalMillis, verdict, count))
        }
        return missed
    }

    /// The model's pages, as paths with the `after` cursor of the page before: all of them,
    /// or those reached within `secondsPerRoute` (then the pages measured are the first ones).
    static func entryPages(port: Int, model: String, auth: [(String, String)],
                           expected: Int) throws -> (paths: [String], complete: Bool) {
        let connection = try RawHTTPConnection(port: port, timeout: 600)
        var paths = ["/fleet/v1/entries?model=\(model)&limit=100"]
        var seen = Set<String>(), listed = 0
        let start = ContinuousClock.now
        while paths.count < 10_000, seconds(since: start) < secondsPerRoute {
            let answer = try connection.get(path: paths.last!, headers: auth)
            guard answer.status == 200, let json = try? JSONValue.parse(answer.body) else {
                throw BenchFailure("GET \(paths.last!): \(answer.status) \(answer.text.prefix(300))")
            }
            for entry in json["entries"]?.arrayValue ?? [] {
                seen.insert("\(entry["plant"]?.stringValue ?? "")#\(entry["seq"]?.doubleValue ?? -1)")
                listed += 1
            }
            guard let next = json["next"]?.stringValue else {
                // Paged to the end: every entry of the model, each once.
                guard listed == expected, seen.count == expected else {
                    throw BenchFailure("the entries of \(model): \(listed) listed, \(seen.count) distinct, \(expected) stored")
                }
                return (paths, true)
            }
            paths.append("/fleet/v1/entries?model=\(model)&limit=100&after=\(next)")
        }
        return (paths, false)
    }

    /// Latencies in milliseconds of `clients × perClient` requests, `clients` at a time.
    static func measure(port: Int, route: Route, auth: [(String, String)], perClient: Int) throws -> [Double] {
        let results = Failures()
        let millis = Latencies()
        let done = DispatchGroup()
        for client in 0..<clients {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                do {
                    let connection = try RawHTTPConnection(port: port, timeout: 600)
                    var mine: [Double] = []
                    let begun = ContinuousClock.now
                    for i in 0..<perClient where seconds(since: begun) < secondsPerRoute {
                        let path = route.path(client * perClient + i)
                        let start = DispatchTime.now().uptimeNanoseconds
                        let answer = try connection.get(path: path, headers: auth)
                        mine.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                        guard answer.status == 200 else {
                            results.add("\(path): \(answer.status) \(answer.text.prefix(200))")
                            return
                        }
                    }
                    millis.add(mine)
                } catch {
                    results.add("\(route.name): \(error)")
                }
            }
        }
        done.wait()
        guard results.all.isEmpty else { throw BenchFailure("queries failed: \(results.all.prefix(3))") }
        return millis.all
    }

    static func percentile(_ xs: [Double], _ p: Double) -> Double {
        let sorted = xs.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
}

/// Latencies the client threads hand back.
final class Latencies: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Double] = []
    func add(_ xs: [Double]) { lock.withLock { list += xs } }
    var all: [Double] { lock.withLock { list } }
}
