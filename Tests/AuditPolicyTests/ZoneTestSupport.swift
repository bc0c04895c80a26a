import Foundation
import Testing
@testable import AuditPolicy

/// Shared fixtures for the zone tests: the shipped examples, read from the repository.
enum ZoneFixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func examplePath(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Policies/examples/\(name).yaml").path
    }

    static var rulesPath: String { repositoryRoot.appendingPathComponent("Policies/zone-rules.yaml").path }

    static func example(_ name: String) throws -> Topology {
        try TopologyLoader.load(path: examplePath(name))
    }

    static func compliant() throws -> Topology { try example("compliant-plant") }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func evaluate(_ topology: Topology, rules: ZoneRuleSet = .defaults, waivers: [Waiver] = []) -> ZoneReport {
        ZoneEvaluation.evaluate(topology: topology, rules: rules, waivers: waivers, now: now)
    }

    static func parse(_ yaml: String, file: String = "inline.yaml") throws(YAMLInputError) -> Topology {
        try TopologyLoader.parse(Array(yaml.utf8), file: file)
    }
}

extension Topology {
    func zoneIndex(_ id: String) -> Int? { zones.firstIndex { $0.id == id } }
    func conduitIndex(_ id: String) -> Int? { conduits.firstIndex { $0.id == id } }
}

extension ZoneReport {
    func findings(_ rule: ZoneRuleID) -> [ZoneFinding] { findings.filter { $0.ruleID == rule } }
    var fingerprints: [String] { findings.map(\.fingerprint).sorted() }
}
