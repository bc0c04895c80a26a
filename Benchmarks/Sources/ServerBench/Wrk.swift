import AuditTesting
import Foundation

/// One wrk run: requests per second, latency percentiles (ms), and any non-2xx or socket
/// errors wrk reported.
struct WrkResult: Sendable {
    let rps: Double
    let p50: Double
    let p99: Double
    let errors: String
}

/// Runs wrk (Debian's `/usr/bin/wrk`) against one server with one bearer token.
struct Wrk {
    let base: String
    let token: String
    let connections: Int
    /// Where the Lua scripts are written.
    let scratch: TemporaryDirectory

    func run(_ label: String, path: String, lua: String? = nil, seconds: Int) throws -> WrkResult {
        var args = ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "-H", "Authorization: Bearer \(token)"]
        if let lua {
            let script = scratch.file("\(label).lua")
            try lua.write(toFile: script, atomically: true, encoding: .utf8)
            args += ["-s", script]
        }
        args.append(base + path)
        let r = try CommandRunner.run("/usr/bin/wrk", args)
        let lines = r.stdout.split(separator: "\n")
        func milliseconds(after key: String) -> Double? {
            guard let line = lines.first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key) }),
                  let field = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first else { return nil }
            var text = String(field)
            var scale = 1.0
            if text.hasSuffix("us") { scale = 0.001; text.removeLast(2) } else if text.hasSuffix("ms") { text.removeLast(2) } else if text.hasSuffix("s") { scale = 1000; text.removeLast() }
            return Double(text).map { $0 * scale }
        }
        let rps = lines.first { $0.hasPrefix("Requests/sec:") }
            .flatMap { Double($0.split(separator: " ", omittingEmptySubsequences: true).last ?? "") } ?? 0
        let errors = lines.filter { $0.contains("Non-2xx") || $0.contains("Socket errors") }.joined(separator: "; ")
        return WrkResult(rps: rps, p50: milliseconds(after: "50%") ?? -1, p99: milliseconds(after: "99%") ?? -1, errors: errors)
    }
}

/// A route measured against the baseline route in alternating slices: B R B R … R B.
///
/// The other builds on this machine come and go within seconds and move every figure by
/// up to half; a route is therefore compared with the baseline slices just before and just
/// after each of its slices, and the route's ratio is the median of those per-slice ratios.
/// Its req/s is the mean over its slices; p50 and p99 are the medians of the slices' values,
/// and the worst slice's p99 is kept too, so a bad stretch is shown, not hidden.
struct SlicedComparison {
    var route: [WrkResult] = []
    var ratios: [Double] = []

    var rps: Double { route.map(\.rps).reduce(0, +) / Double(max(1, route.count)) }
    var ratio: Double { Self.median(ratios) }
    var p50: Double { Self.median(route.map(\.p50)) }
    var p99: Double { Self.median(route.map(\.p99)) }
    var worstP99: Double { route.map(\.p99).max() ?? -1 }
    var errors: String { route.map(\.errors).filter { !$0.isEmpty }.joined(separator: "; ") }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return -1 }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
