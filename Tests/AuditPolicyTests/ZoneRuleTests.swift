import Foundation
import Testing
@testable import AuditPolicy

/// One test per rule: the compliant plant passes it, a crafted violation fails it with
/// exactly the expected path.
@Suite struct ZoneRuleTests {
    private func plant() throws -> Topology { try ZoneFixtures.compliant() }

    private func check(_ rule: ZoneRuleID, _ topology: Topology) -> [String] {
        ZoneFixtures.evaluate(topology).findings(rule).map(\.fingerprint)
    }

    private func conduit(_ id: String, _ a: String, _ b: String, _ protocols: [ConduitProtocol],
                         direction: ConduitDirection = .bidirectional, sl: Int = 3) -> Conduit {
        Conduit(id: id, zones: (a, b), direction: direction, protocols: protocols, enforcingDevice: "fw-test",
                capabilities: ["encryption", "mutual-authentication", "integrity", "logging"],
                slAchieved: SecurityLevelVector(uniform: sl) ?? .zero)
    }

    @Test func compliantPlantPassesEveryRule() throws {
        let report = ZoneFixtures.evaluate(try plant())
        for rule in ZoneRuleID.allCases { #expect(report.findings(rule).isEmpty, "\(rule.rawValue)") }
    }

    @Test func zr001FlowWithoutConduitPathIsExplained() throws {
        var topology = try plant()
        topology.flows.append(Flow(id: "f-erp-plc", from: "erp", to: "plc-1", protocol: "opc-ua", purpose: .control))
        topology.flows.append(Flow(id: "f-upload", from: "model-relay", to: "ml-registry", protocol: "https", purpose: .telemetry))
        let report = ZoneFixtures.evaluate(topology)
        #expect(report.findings(.flowCarried).map(\.fingerprint) == [
            "ZR-001:enterprise>c-ent-dmz>dmz>c-dmz-ops>site-ops>c-ops-line>line1-ai>c-line-plc>plc-cell#f-erp-plc",
            "ZR-001:cloud-ml>c-cloud-dmz>dmz#f-upload",
        ])
        let reverse = try #require(report.findings(.flowCarried).last)
        #expect(reverse.message.contains("only in the opposite direction"))
        #expect(reverse.path == [.zone("cloud-ml"), .conduit("c-cloud-dmz"), .zone("dmz")])
    }

    @Test func zr002ShortcutFromEnterpriseToControl() throws {
        var topology = try plant()
        topology.conduits.append(conduit("c-ent-line", "enterprise", "line1-ai", [.init(name: "https", port: 443)]))
        #expect(check(.dmzBypass, topology) == [
            "ZR-002:enterprise>c-ent-line>line1-ai",
            "ZR-002:enterprise>c-ent-line>line1-ai>c-line-plc>plc-cell",
        ])
        // One-way outward (control → enterprise) is not a bypass.
        topology.conduits[topology.conduits.count - 1] = conduit(
            "c-ent-line", "line1-ai", "enterprise", [.init(name: "https", port: 443)], direction: .diode)
        #expect(check(.dmzBypass, topology) == [])
    }

    @Test func zr003ConduitBelowZoneTarget() throws {
        var topology = try plant()
        let index = try #require(topology.conduitIndex("c-ops-line"))
        topology.conduits[index].slAchieved = try #require(SecurityLevelVector(levels: [2, 2, 1, 2, 2, 2, 2]))
        let findings = ZoneFixtures.evaluate(topology).findings(.conduitSecurityLevel)
        #expect(findings.map(\.fingerprint) == ["ZR-003:site-ops>c-ops-line>line1-ai"])
        #expect(findings.first?.message.hasSuffix("on FR3") == true)
    }

    @Test func zr004MissingCapability() throws {
        var topology = try plant()
        let index = try #require(topology.conduitIndex("c-line-plc"))
        topology.conduits[index].capabilities.remove("logging")
        let findings = ZoneFixtures.evaluate(topology).findings(.conduitCapabilities)
        #expect(findings.map(\.fingerprint) == ["ZR-004:line1-ai>c-line-plc>plc-cell"])
        #expect(findings.first?.message.hasSuffix("lacks logging") == true)
    }

    @Test func zr005ProtocolOrPortNotAllowed() throws {
        var topology = try plant()
        let index = try #require(topology.conduitIndex("c-ops-line"))
        topology.conduits[index].protocols = [.init(name: "https", port: 443), .init(name: "mqtts", port: 1883),
                                              .init(name: "bacnet", port: 47808)]
        #expect(check(.protocolAllowed, topology) == [
            "ZR-005:site-ops>c-ops-line>line1-ai#mqtts/1883",
            "ZR-005:site-ops>c-ops-line>line1-ai#bacnet/47808",
        ])
    }

    @Test func zr006CleartextAcrossHighBoundary() throws {
        var topology = try plant()
        let index = try #require(topology.conduitIndex("c-dmz-ops"))
        topology.conduits[index].protocols.append(.init(name: "http", port: 80))
        #expect(check(.cleartextBoundary, topology) == ["ZR-006:dmz>c-dmz-ops>site-ops#http/80"])
        topology.conduits[index].capabilities.insert("encrypted-tunnel")
        #expect(check(.cleartextBoundary, topology) == [])
    }

    @Test func zr007DirectAndIndirectWritesIntoSafety() throws {
        var topology = try plant()
        topology.conduits.append(conduit("c-ai-sis", "line1-ai", "sis", [.init(name: "opc-ua", port: 4840)]))
        #expect(check(.aiWriteIntoSafety, topology) == ["ZR-007:line1-ai>c-ai-sis>sis"])
        // A read-only gateway opens no write path.
        topology.conduits[topology.conduits.count - 1].protocols = [.init(name: "opc-ua", port: 4840, access: .readOnly)]
        #expect(check(.aiWriteIntoSafety, topology) == [])
        // Indirect: the SIS diode turned into a two-way read-write link behind the PLC cell.
        topology.conduits.removeLast()
        let sis = try #require(topology.conduitIndex("c-sis-plc"))
        topology.conduits[sis].direction = .bidirectional
        topology.conduits[sis].protocols = [.init(name: "opc-ua", port: 4840, access: .readWrite)]
        #expect(check(.aiWriteIntoSafety, topology) == ["ZR-007:line1-ai>c-line-plc>plc-cell>c-sis-plc>sis"])
    }

    @Test func zr008ModelFlowIntoUnsignedZone() throws {
        var topology = try plant()
        let index = try #require(topology.zoneIndex("line1-ai"))
        topology.zones[index].requiresSignedBundles = false
        #expect(check(.signedModelDestination, topology) == ["ZR-008:dmz>c-dmz-ops>site-ops>c-ops-line>line1-ai#f-model-deploy"])
    }

    @Test func zr009OrphanZone() throws {
        var topology = try plant()
        topology.zones.append(Zone(id: "spare", name: "Spare cell", purdueLevel: .level1,
                                   kind: .control, slTarget: .zero))
        #expect(check(.orphanZone, topology) == ["ZR-009:spare"])
    }

    @Test func zr010UnusedConduitButNotARedundantOne() throws {
        var topology = try plant()
        topology.conduits.append(conduit("c-spare", "site-ops", "line1-ai", [.init(name: "ssh", port: 22)], sl: 2))
        topology.conduits.append(conduit("c-ops-line-b", "site-ops", "line1-ai", [.init(name: "https", port: 443)], sl: 2))
        #expect(check(.orphanConduit, topology) == ["ZR-010:site-ops>c-spare>line1-ai"])
    }

    @Test func zr011SelfJoinedAndDuplicateConduit() throws {
        var topology = try plant()
        topology.conduits.append(conduit("c-loop", "sis", "sis", [.init(name: "opc-ua", port: 4840)]))
        topology.conduits.append(conduit("c-ops-line", "site-ops", "dmz", [.init(name: "https", port: 443)]))
        #expect(check(.inconsistentDeclaration, topology) == ["ZR-011:sis>c-loop>sis#self", "ZR-011:c-ops-line#duplicate"])
    }

    @Test func severityComesFromTheRuleSet() throws {
        var topology = try plant()
        topology.zones.append(Zone(id: "spare", name: "Spare", purdueLevel: .level1, kind: .control, slTarget: .zero))
        var rules = ZoneRuleSet.defaults
        rules.severities[.orphanZone] = .critical
        #expect(ZoneFixtures.evaluate(topology, rules: rules).findings(.orphanZone).first?.severity == .critical)
    }
}
