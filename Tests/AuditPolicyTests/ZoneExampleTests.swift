import Foundation
import Testing
@testable import AuditPolicy

/// The shipped examples in Policies/examples, each with exactly the findings it is meant to show.
@Suite struct ZoneExampleTests {
    @Test func compliantPlantHasNoFindings() throws {
        let report = ZoneFixtures.evaluate(try ZoneFixtures.compliant())
        #expect(report.findings.map(\.fingerprint) == [])
        #expect(report.compliant)
        #expect(report.summary.zones == 7 && report.summary.conduits == 6 && report.summary.flows == 8)
    }

    @Test func dmzBypassExample() throws {
        let report = ZoneFixtures.evaluate(try ZoneFixtures.example("noncompliant-dmz-bypass"))
        #expect(!report.compliant)
        #expect(report.fingerprints == [
            "ZR-002:enterprise>c-ent-ops>site-ops>c-ops-line>line1-ai",
            "ZR-002:enterprise>c-ent-ops>site-ops>c-ops-line>line1-ai>c-line-plc>plc-cell",
        ])
    }

    @Test func aiWritesSafetyExample() throws {
        let report = ZoneFixtures.evaluate(try ZoneFixtures.example("noncompliant-ai-writes-safety"))
        #expect(report.fingerprints == ["ZR-007:line1-ai>c-line-plc>plc-cell>c-sis-plc>sis"])
        #expect(report.findings.first?.severity == .critical)
    }

    @Test func cleartextAndUnsignedExample() throws {
        let report = ZoneFixtures.evaluate(try ZoneFixtures.example("noncompliant-cleartext-unsigned"))
        #expect(report.fingerprints == [
            "ZR-006:line1-ai>c-line-plc>plc-cell#modbus-tcp/502",
            "ZR-008:dmz>c-dmz-ops>site-ops>c-ops-line>line1-ai#f-model-deploy",
        ])
    }

    @Test func inconsistentExampleNamesFileAndLine() throws {
        let path = ZoneFixtures.examplePath("noncompliant-inconsistent")
        let report = ZoneFixtures.evaluate(try TopologyLoader.load(path: path))
        #expect(report.fingerprints == [
            "ZR-011:#flow:f-lab-upload:unknown:lab-pc",
            "ZR-011:c-ops-lab#unknown-zone:lab",
            "ZR-011:dmz#duplicate",
            "ZR-011:plc-cell>c-loop>plc-cell#self",
        ])
        let duplicate = try #require(report.findings.first { $0.fingerprint == "ZR-011:dmz#duplicate" })
        #expect(duplicate.location == "\(path):71")
        #expect(duplicate.message.hasPrefix("\(path):71: zone id 'dmz' is declared twice (first at \(path):27)"))
        let dangling = try #require(report.findings.first { $0.fingerprint == "ZR-011:c-ops-lab#unknown-zone:lab" })
        #expect(dangling.message == "\(path):77: conduit 'c-ops-lab' joins unknown zone 'lab'")
    }
}
