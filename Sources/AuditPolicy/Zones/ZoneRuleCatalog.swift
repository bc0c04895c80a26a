/// Stable identifier of a zone rule (`ZR-001` …). Ids never change meaning or get reused:
/// waivers and ledger records refer to them.
public enum ZoneRuleID: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case flowCarried = "ZR-001"
    case dmzBypass = "ZR-002"
    case conduitSecurityLevel = "ZR-003"
    case conduitCapabilities = "ZR-004"
    case protocolAllowed = "ZR-005"
    case cleartextBoundary = "ZR-006"
    case aiWriteIntoSafety = "ZR-007"
    case signedModelDestination = "ZR-008"
    case orphanZone = "ZR-009"
    case orphanConduit = "ZR-010"
    case inconsistentDeclaration = "ZR-011"

    public static func < (lhs: ZoneRuleID, rhs: ZoneRuleID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How bad a finding is. Every severity makes the topology non-compliant; severities
/// order the report and let a site say which findings it fixes first. A finding can only
/// be set aside by a waiver, never by turning its rule off.
public enum ZoneSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case low, medium, high, critical

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: ZoneSeverity, rhs: ZoneSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// What a rule checks, why, and which IEC 62443 requirement it serves (see Docs/zone-rules.md).
public struct ZoneRuleInfo: Sendable, Hashable {
    public let id: ZoneRuleID
    public let title: String
    public let requirement: String
    public let defaultSeverity: ZoneSeverity
}

public enum ZoneRuleCatalog {
    public static let all: [ZoneRuleInfo] = [
        .init(id: .flowCarried, title: "every declared flow is carried by declared conduits",
              requirement: "62443-3-3 SR 5.1, SR 5.2 (deny by default)", defaultSeverity: .high),
        .init(id: .dmzBypass, title: "no path from Purdue 4-5 to 0-2 that skips a DMZ",
              requirement: "62443-3-3 SR 5.1, SR 5.2", defaultSeverity: .critical),
        .init(id: .conduitSecurityLevel, title: "conduit SL-A meets the SL-T of the zones it joins",
              requirement: "62443-3-2 ZCR 5, 62443-3-3 SL model", defaultSeverity: .high),
        .init(id: .conduitCapabilities, title: "conduit has the capabilities its SL-T requires",
              requirement: "62443-3-3 SR 1.2, SR 3.1, SR 4.1", defaultSeverity: .high),
        .init(id: .protocolAllowed, title: "only allowed protocols and ports cross a conduit",
              requirement: "62443-3-3 SR 5.2 (allow by exception)", defaultSeverity: .medium),
        .init(id: .cleartextBoundary, title: "no cleartext protocol across a boundary of SL 2 or more",
              requirement: "62443-3-3 SR 3.1, SR 4.1", defaultSeverity: .high),
        .init(id: .aiWriteIntoSafety, title: "no write path from an AI inference zone into a safety zone",
              requirement: "62443-3-3 SR 5.1; seed requirement Z6", defaultSeverity: .critical),
        .init(id: .signedModelDestination, title: "model-distribution flows end in a zone that requires signed bundles",
              requirement: "62443-3-3 SR 3.4", defaultSeverity: .high),
        .init(id: .orphanZone, title: "every zone is joined by at least one conduit",
              requirement: "62443-3-2 ZCR 3", defaultSeverity: .low),
        .init(id: .orphanConduit, title: "every conduit carries at least one declared flow",
              requirement: "62443-3-3 SR 5.2; 62443-3-2 ZCR 3", defaultSeverity: .low),
        .init(id: .inconsistentDeclaration, title: "ids are declared once and every reference resolves",
              requirement: "62443-3-2 ZCR 3, ZCR 6", defaultSeverity: .high),
    ]

    public static func info(_ id: ZoneRuleID) -> ZoneRuleInfo {
        all.first { $0.id == id } ?? ZoneRuleInfo(id: id, title: id.rawValue, requirement: "", defaultSeverity: .high)
    }
}
