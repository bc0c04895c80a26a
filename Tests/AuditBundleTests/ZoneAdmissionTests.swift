import AuditBundle
import AuditPolicy
import Foundation
import Testing

/// verify-bundle's zone admission against the shipped example topologies (Z8).
@Suite struct ZoneAdmissionTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Policies/examples")
    let release = ReleaseInfo(changeID: "chg-1", modelName: "weld-defect", modelVersion: "2.0.0", zones: ["line1-ai"])

    func admits(_ zone: String, _ file: String) -> Result<String, ApprovalLinkError> {
        TopologyZoneAdmission().admits(zone: zone, topologyFile: Self.examples.appendingPathComponent(file).path,
                                       release: release)
    }

    @Test func compliantPlantAdmitsTheEdgeInferenceZone() throws {
        let how = try admits("line1-ai", "compliant-plant.yaml").get()
        #expect(how.contains("f-model-deploy"))
    }

    @Test func zoneThatDoesNotRequireSignedBundlesIsRefused() {
        guard case .failure(let e) = admits("site-ops", "compliant-plant.yaml") else { Issue.record("admitted"); return }
        #expect(e.message.contains("does not require signed bundles"))
    }

    @Test func zoneWithAWritePathIntoSafetyIsRefused() {
        guard case .failure(let e) = admits("line1-ai", "noncompliant-ai-writes-safety.yaml") else { Issue.record("admitted"); return }
        #expect(e.message.contains("ZR-007"), "\(e)")
    }

    @Test func undeclaredZoneAndMissingFileAreRefused() {
        guard case .failure(let e1) = admits("line-9", "compliant-plant.yaml") else { Issue.record("admitted"); return }
        #expect(e1.message.contains("not declared"))
        guard case .failure(let e2) = admits("line1-ai", "no-such-file.yaml") else { Issue.record("admitted"); return }
        #expect(e2.message.contains("cannot be used"))
    }
}
