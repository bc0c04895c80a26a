import Foundation
import Testing
@testable import AuditPolicy

/// Waivers set a finding aside only while they last, and the finding stays in the report.
@Suite struct ZoneWaiverTests {
    private let fingerprint = "ZR-007:line1-ai>c-line-plc>plc-cell>c-sis-plc>sis"

    private func waiver(expiresIn seconds: TimeInterval, id: String? = nil) -> Waiver {
        Waiver(findingID: id ?? fingerprint, reason: "diode on order, link physically disconnected",
               expiresAt: ZoneFixtures.now.addingTimeInterval(seconds), waivedBy: "ot-security@riverside")
    }

    @Test func liveWaiverMarksFindingWaivedButKeepsIt() throws {
        let topology = try ZoneFixtures.example("noncompliant-ai-writes-safety")
        let report = ZoneFixtures.evaluate(topology, waivers: [waiver(expiresIn: 3600)])
        #expect(report.compliant)
        #expect(report.findings.count == 1)
        #expect(report.findings.first?.waiver?.waivedBy == "ot-security@riverside")
        #expect(report.summary.waivedFindings == 1 && report.summary.openFindings == 0)
        #expect(report.text.contains("WAIVED by ot-security@riverside"))
    }

    @Test func expiredWaiverLeavesFindingOpen() throws {
        let topology = try ZoneFixtures.example("noncompliant-ai-writes-safety")
        let report = ZoneFixtures.evaluate(topology, waivers: [waiver(expiresIn: 0)])
        #expect(!report.compliant)
        #expect(report.findings.first?.isWaived == false)
        #expect(report.expiredWaivers.map(\.findingID) == [fingerprint])
    }

    @Test func waiverForAnotherPathDoesNotApply() throws {
        let topology = try ZoneFixtures.example("noncompliant-ai-writes-safety")
        let other = waiver(expiresIn: 3600, id: "ZR-007:line1-ai>c-ai-sis>sis")
        let report = ZoneFixtures.evaluate(topology, waivers: [other])
        #expect(!report.compliant)
        #expect(report.unmatchedWaivers == [other])
    }

    @Test func jsonReportRoundTripsWithPathSteps() throws {
        let topology = try ZoneFixtures.example("noncompliant-ai-writes-safety")
        let report = ZoneFixtures.evaluate(topology, waivers: [waiver(expiresIn: 3600)])
        let data = try report.jsonData()
        #expect(try ZoneReport.decode(json: data) == report)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""rule" : "ZR-007""#))
        #expect(text.contains(#"{"conduit" : "c-line-plc"}"#) || text.contains(#""conduit" : "c-line-plc""#))
        #expect(text.contains(#""waivedBy" : "ot-security@riverside""#))
    }
}
