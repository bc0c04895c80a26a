// Zone-rule evaluation at plant scale: 2,000 zones, 10,000 conduits, a few thousand flows.
// Target (issue 4): evaluation in ≤ 2 s on the 2-core reference machine, release build.
// Run: cd Benchmarks && swift build -c release --scratch-path ../.build-bench-zones
//      ../.build-bench-zones/release/ZoneBench
import AuditPolicy
import AuditTesting
import Foundation

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let zones = 2_000, conduits = 10_000, runs = 5
var topology = TopologyGenerator(zones: zones, conduits: conduits).generate()
print("ZoneBench: \(topology.zones.count) zones, \(topology.conduits.count) conduits, \(topology.flows.count) flows")

var timings: [Double] = []
var findings = 0
for _ in 0..<runs {
    timings.append(seconds {
        findings = ZoneEvaluation.evaluate(topology: topology, now: Date()).findings.count
    })
}
timings.sort()
print(String(format: "compliant plant: median %.3f s, worst %.3f s over %d runs (%d findings)",
             timings[runs / 2], timings[runs - 1], runs, findings))

// The same plant with violations, so the explaining paths are built too.
topology.conduits.append(Conduit(id: "c-shortcut", zones: ("enterprise", "ops-3"), protocols: [.init(name: "https", port: 443)],
                                 enforcingDevice: "fw-x", capabilities: ["encryption", "mutual-authentication"],
                                 slAchieved: SecurityLevelVector(uniform: 2) ?? .zero))
topology.flows.append(Flow(id: "f-missing", from: "cloud", to: "plc-7", protocol: "opc-ua", purpose: .control))
var violating: [Double] = []
for _ in 0..<runs {
    violating.append(seconds {
        findings = ZoneEvaluation.evaluate(topology: topology, now: Date()).findings.count
    })
}
violating.sort()
print(String(format: "with violations: median %.3f s, worst %.3f s over %d runs (%d findings)",
             violating[runs / 2], violating[runs - 1], runs, findings))
let verdict = max(timings[runs - 1], violating[runs - 1]) <= 2.0 ? "within" : "OVER"
print("target ≤ 2 s: \(verdict)")
