import Foundation
import Testing
import AuditTesting
@testable import AuditPolicy

@Suite struct TopologyGeneratorTests {
    @Test func generatedPlantHasRequestedSizeAndIsCompliant() {
        let topology = TopologyGenerator(zones: 200, conduits: 1000, seed: 7).generate()
        #expect(topology.zones.count == 200)
        #expect(topology.conduits.count == 1000)
        let report = ZoneFixtures.evaluate(topology)
        #expect(report.findings.map(\.fingerprint) == [])
    }

    @Test func injectedShortcutIsFoundInALargePlant() throws {
        var topology = TopologyGenerator(zones: 500, conduits: 2_500, seed: 1).generate()
        topology.conduits.append(Conduit(id: "c-shortcut", zones: ("enterprise", "plc-5"), protocols: [.init(name: "https", port: 443)],
                                         enforcingDevice: "fw-x", capabilities: ["encryption", "mutual-authentication"],
                                         slAchieved: SecurityLevelVector(uniform: 3) ?? .zero))
        let report = ZoneFixtures.evaluate(topology)
        let bypass = report.findings(.dmzBypass).map(\.fingerprint)
        #expect(bypass.contains("ZR-002:enterprise>c-shortcut>plc-5"))
    }
}
