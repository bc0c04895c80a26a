import Foundation

/// The result of evaluating a topology: every finding (waived ones included and marked),
/// plus waivers that no longer apply, so an auditor sees all of it.
public struct ZoneReport: Sendable, Hashable, Codable {
    public struct Summary: Sendable, Hashable, Codable {
        public var zones: Int
        public var conduits: Int
        public var flows: Int
        public var openFindings: Int
        public var waivedFindings: Int
    }

    public var site: String
    /// `sha256:<hex>` of the topology file, filled in by whoever read the file.
    public var topologyDigest: String?
    public var evaluatedAt: Date
    /// True when every finding is waived (or there are none).
    public var compliant: Bool
    public var summary: Summary
    /// Sorted by severity (worst first), then rule id, then fingerprint.
    public var findings: [ZoneFinding]
    /// Waivers whose finding is present but whose expiry has passed: the finding is open.
    public var expiredWaivers: [Waiver]
    /// Waivers that match no current finding (the topology changed or it was fixed).
    public var unmatchedWaivers: [Waiver]

    public var openFindings: [ZoneFinding] { findings.filter { !$0.isWaived } }

    /// Pretty, key-sorted JSON with RFC 3339 UTC times, for `--json`.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    public static func decode(json: Data) throws -> ZoneReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ZoneReport.self, from: json)
    }

    /// Human-readable report for a terminal: one block per finding.
    public var text: String {
        var lines: [String] = []
        let verdict = compliant ? "COMPLIANT" : "NON-COMPLIANT"
        lines.append("site \(site): \(verdict) — \(summary.zones) zones, \(summary.conduits) conduits, "
            + "\(summary.flows) flows; \(summary.openFindings) open, \(summary.waivedFindings) waived")
        for finding in findings {
            let status = finding.waiver.map { "WAIVED by \($0.waivedBy) until \(Self.rfc3339($0.expiresAt))" } ?? "OPEN"
            lines.append("")
            lines.append("\(finding.ruleID.rawValue) \(finding.severity.rawValue) \(status)")
            lines.append("  \(finding.message)")
            if !finding.path.isEmpty { lines.append("  path: \(finding.pathText)") }
            if let location = finding.location { lines.append("  at: \(location)") }
            if let waiver = finding.waiver { lines.append("  waiver reason: \(waiver.reason)") }
            lines.append("  hint: \(finding.hint)")
            lines.append("  id: \(finding.fingerprint)")
        }
        for waiver in expiredWaivers {
            lines.append("")
            lines.append("expired waiver for \(waiver.findingID) (by \(waiver.waivedBy), expired \(Self.rfc3339(waiver.expiresAt)))")
        }
        for waiver in unmatchedWaivers {
            lines.append("")
            lines.append("unmatched waiver for \(waiver.findingID) (by \(waiver.waivedBy)): no such finding")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func rfc3339(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
