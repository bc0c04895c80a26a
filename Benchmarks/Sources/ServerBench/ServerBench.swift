// ServerBench: `auditctl serve` under wrk (Debian) on a ledger of 100,000 entries.
//
// For each ledger route — GET /api/v1/changes, GET /api/v1/entries (random pages), the
// inclusion and consistency proof endpoints, the latest checkpoint — wrk runs 64
// connections for 30 s, in slices alternating with the trivial route /healthz of the same
// server (the baseline; `SlicedComparison`). Goal: each ledger route ≥ 0.5 × the baseline's
// req/s and p99 ≤ 20 ms. Then 32 concurrent sign requests with production Argon2id costs:
// each lands exactly once and `verify` passes.
//
//   swift build -c release --product ServerBench && .build/release/ServerBench [--quick]
//   options: --seconds N (per route), --slices N, --only a,b (route labels), --no-sign,
//            --read-threads N (the server's read pool; default ServerOptions.readThreads)
import AuditCore
import AuditCrypto
import AuditLedger
import AuditPolicy
import AuditRecords
import AuditServer
import AuditTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServerBenchSupport

@main
struct ServerBench {
    static func main() async throws {

        let quick = CommandLine.arguments.contains("--quick")
        let entryCount = quick ? 10_000 : 100_000
        let seconds = option("--seconds").flatMap(Int.init) ?? (quick ? 5 : 30)
        let slices = option("--slices").flatMap(Int.init) ?? (quick ? 5 : 6)
        /// `--only entries,inclusion` runs just those routes (labels as printed); for profiling.
        let only = Set((option("--only") ?? "").split(separator: ",").map(String.init))
        let skipSigning = CommandLine.arguments.contains("--no-sign")
        let connections = 64
        @Sendable func password(_ id: String) -> String { BenchLedger.password(id) }

        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            print("ServerBench needs wrk (apt-get install wrk; `make deps` installs it)")
            exit(2)
        }

        // MARK: Ledger

        let bench = try await BenchLedger.make(entries: entryCount)
        let (dir, home, store) = (bench.directory, bench.home, bench.store)
        let size = try store.size()
        print(String(format: "ledger: %d entries, 64 changes (setup %.1f s)", size, bench.setupSeconds))

        // MARK: Server

        var options = ServerOptions(dataDirectory: home.directory, logKey: .password(BenchLedger.logKeyPassword))
        options.port = 0
        options.loginAttemptsPerAddress = 10_000
        if let threads = option("--read-threads").flatMap(Int.init) { options.readThreads = threads }
        let server = try AuditServerApp(options: options)
        var logger = Logger(label: "serverbench")
        logger.logLevel = .error
        let port = ManagedPort()
        let serverTask = Task { try await server.run(logger: logger) { p in port.set(p) } }
        let bound = try await port.wait()
        let base = "http://127.0.0.1:\(bound)"

        @Sendable func http(_ method: String, _ path: String, token: String? = nil, body: JSONValue? = nil) async throws -> (Int, JSONValue) {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let body {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(body.canonicalBytes())
            }
            request.timeoutInterval = 300
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONValue.parse([UInt8](data))) ?? .null)
        }

        @Sendable func login(_ id: String) async throws -> String {
            let (status, json) = try await http("POST", "/api/v1/sessions", body: ["userId": .string(id), "password": .string(password(id))])
            guard status == 201, let token = json["token"]?.stringValue else { fatalError("login \(id): \(status) \(json)") }
            return token
        }

        let ivy = try await login("ivy")

        // MARK: wrk

        let wrk = Wrk(base: base, token: ivy, connections: connections, scratch: dir)

        let luaEntries = randomPaths("/api/v1/entries?limit=50&from=", 0, size - 50)
        let luaInclusion = randomPaths("/api/v1/entries/", 0, size - 1, "/proof")
        let luaConsistency = randomPaths("/api/v1/proofs/consistency?from=", 1, size - 1)

        let routes: [(label: String, path: String, lua: String?)] = [
            ("changes", "/api/v1/changes", nil), ("entries", "/api/v1/entries?from={random}&limit=50", luaEntries),
            ("inclusion", "/api/v1/entries/{random}/proof", luaInclusion),
            ("consistency", "/api/v1/proofs/consistency?from={random}", luaConsistency),
            ("checkpoint", "/api/v1/checkpoint", nil),
        ].filter { only.isEmpty || only.contains($0.label) } + [
            // Diagnostics, run only when named in --only: how the page route's cost grows
            // with the number of entries sent (fixed cost per request vs cost per entry).
            ("entries-1", "/api/v1/entries?from={random}&limit=1", randomPaths("/api/v1/entries?limit=1&from=", 0, size - 1)),
            ("entries-10", "/api/v1/entries?from={random}&limit=10", randomPaths("/api/v1/entries?limit=10&from=", 0, size - 10)),
        ].filter { only.contains($0.label) }

        // Each route runs `slices` slices of seconds/slices each, alternating with slices of
        // the baseline (`SlicedComparison`): 30 s of load per route, as before, but compared
        // with the baseline measured around it, not minutes earlier.
        print("wrk: \(connections) connections, \(seconds) s per route in \(slices) slices alternating with /healthz, same server, same run")
        let slice = max(1, seconds / slices)
        func show(_ label: String, _ c: SlicedComparison, _ note: String) {
            print(String(format: "  %-44@ %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms (worst slice %6.2f)  %@", label as NSString, c.rps, c.p50, c.p99,
                         c.worstP99, note as NSString))
        }
        var baseline = SlicedComparison()
        var previous = try wrk.run("healthz", path: "/healthz", seconds: slice)
        baseline.route.append(previous)
        var allMet = true
        for route in routes {
            var c = SlicedComparison()
            for _ in 0..<slices {
                let r = try wrk.run(route.label, path: route.lua == nil ? route.path : "/", lua: route.lua, seconds: slice)
                let next = try wrk.run("healthz", path: "/healthz", seconds: slice)
                c.route.append(r)
                c.ratios.append(r.rps / max(1, (previous.rps + next.rps) / 2))
                baseline.route.append(next)
                previous = next
            }
            let met = c.ratio >= 0.5 && c.p99 >= 0 && c.p99 <= 20
            if !route.label.hasPrefix("entries-") { allMet = allMet && met }
            show("GET \(route.path)", c, String(format: "ratio %.2f  %@%@", c.ratio, met ? "goal met" : "GOAL MISSED",
                                            c.errors.isEmpty ? "" : "  [\(c.errors)]"))
        }
        show("GET /healthz (all baseline slices)", baseline, "(baseline)")
        guard !skipSigning else {
            serverTask.cancel()
            server.shutdown()
            try? FileManager.default.removeItem(atPath: dir.path) // exit() skips the directory's deinit
            exit(allMet ? 0 : 1)
        }

        // MARK: 32 concurrent signatures (production Argon2id)

        let quinn = try await login("quinn")
        let signStart = Date()
        let results = try await withThrowingTaskGroup(of: (Int, Double).self) { group in
            for i in 0..<32 {
                group.addTask {
                    let t = Date()
                    let (status, _) = try await http("POST", "/api/v1/changes/chg-\(i)/signatures", token: quinn,
                                                     body: ["meaning": "approved", "password": .string(password("quinn"))])
                    return (status, Date().timeIntervalSince(t))
                }
            }
            var out: [(Int, Double)] = []
            for try await r in group { out.append(r) }
            return out
        }
        let signWall = Date().timeIntervalSince(signStart)
        let signatures = try store.entries(EntryFilter(kind: EntryKind.signatureAdded))
        let landedOnce = signatures.count == 32 && Set(signatures.map(\.subject)).count == 32
        let (verifyStatus, report) = try await http("GET", "/api/v1/verify", token: ivy)
        let latencies = results.map(\.1).sorted()
        print(String(format: "sign: 32 concurrent requests, %d × 201, %d signature entries (%@), wall %.1f s, median %.2f s, max %.2f s; verify %@",
                     results.filter { $0.0 == 201 }.count, signatures.count, (landedOnce ? "each once" : "NOT each once") as NSString,
                     signWall, latencies[latencies.count / 2], latencies.last ?? 0,
                     (verifyStatus == 200 && report["ok"]?.boolValue == true ? "ok" : "FAILED \(report)") as NSString))
        serverTask.cancel()
        server.shutdown()
        try? FileManager.default.removeItem(atPath: dir.path) // exit() skips the directory's deinit
        exit(allMet && landedOnce ? 0 : 1)
    }
}

/// A wrk script that GETs `prefix .. n .. suffix` for random n in low...high. Each wrk
/// thread formats its 50,000 requests once (`init`, seeded per thread) and sends them in
/// turn: wrk shares the machine's cores with the server, and Lua per request would slow the
/// random routes' side of the comparison, not the server.
func randomPaths(_ prefix: String, _ low: Int, _ high: Int, _ suffix: String = "") -> String {
    """
    local threads = 0
    setup = function(thread)
      threads = threads + 1
      thread:set("id", threads)
    end
    local requests, count, next = {}, 50000, 0
    init = function(args)
      math.randomseed(os.time() * 7919 + id)
      for i = 1, count do
        requests[i] = wrk.format("GET", "\(prefix)" .. math.random(\(low), \(high)) .. "\(suffix)")
      end
    end
    request = function()
      next = next % count + 1
      return requests[next]
    end
    """
}

/// The value after `name` on the command line.
func option(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

final class ManagedPort: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int?
    func set(_ p: Int) { lock.withLock { value = p } }
    func wait() async throws -> Int {
        for _ in 0..<600 {
            if let v = lock.withLock({ value }) { return v }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }
}

