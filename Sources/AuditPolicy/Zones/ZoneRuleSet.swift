/// A site's tuning of the zone rules: severities and thresholds. Rules cannot be switched
/// off here; a finding is set aside only by a signed, expiring waiver.
public struct ZoneRuleSet: Sendable, Hashable {
    public var severities: [ZoneRuleID: ZoneSeverity]
    public var dmzBypass: DMZBypassParameters
    public var capabilityRequirements: [CapabilityRequirement]
    /// Protocol name → allowed ports; an empty list allows any port.
    public var allowedProtocols: [String: [Int]]
    public var cleartext: CleartextParameters
    public var aiSafety: AISafetyParameters
    /// Flow purposes that must end in a zone requiring signed bundles.
    public var signedBundlePurposes: Set<FlowPurpose>

    public func severity(of rule: ZoneRuleID) -> ZoneSeverity {
        severities[rule] ?? ZoneRuleCatalog.info(rule).defaultSeverity
    }

    public init(severities: [ZoneRuleID: ZoneSeverity], dmzBypass: DMZBypassParameters,
                capabilityRequirements: [CapabilityRequirement], allowedProtocols: [String: [Int]],
                cleartext: CleartextParameters, aiSafety: AISafetyParameters,
                signedBundlePurposes: Set<FlowPurpose>) {
        self.severities = severities
        self.dmzBypass = dmzBypass
        self.capabilityRequirements = capabilityRequirements
        self.allowedProtocols = allowedProtocols
        self.cleartext = cleartext
        self.aiSafety = aiSafety
        self.signedBundlePurposes = signedBundlePurposes
    }
}

/// ZR-002: which zones count as a DMZ and which levels the rule separates.
public struct DMZBypassParameters: Sendable, Hashable {
    public var dmzKinds: Set<ZoneKind>
    public var dmzLevels: Set<PurdueLevel>
    public var fromLevelAtLeast: PurdueLevel
    public var toLevelAtMost: PurdueLevel

    public init(dmzKinds: Set<ZoneKind>, dmzLevels: Set<PurdueLevel>,
                fromLevelAtLeast: PurdueLevel, toLevelAtMost: PurdueLevel) {
        self.dmzKinds = dmzKinds
        self.dmzLevels = dmzLevels
        self.fromLevelAtLeast = fromLevelAtLeast
        self.toLevelAtMost = toLevelAtMost
    }

    func isDMZ(_ zone: Zone) -> Bool {
        dmzKinds.contains(zone.kind) || dmzLevels.contains(zone.purdueLevel)
    }
}

/// ZR-004: a conduit joining a zone whose highest SL-T is at least `minimumSL` must have
/// every listed capability.
public struct CapabilityRequirement: Sendable, Hashable {
    public var minimumSL: Int
    public var capabilities: [String]

    public init(minimumSL: Int, capabilities: [String]) {
        self.minimumSL = minimumSL
        self.capabilities = capabilities
    }
}

/// ZR-006: which protocols are cleartext, from which boundary level they are refused, and
/// which conduit capability (an encrypted tunnel) makes them acceptable.
public struct CleartextParameters: Sendable, Hashable {
    public var protocols: Set<String>
    public var minimumBoundarySL: Int
    public var tunnelCapability: String

    public init(protocols: Set<String>, minimumBoundarySL: Int, tunnelCapability: String) {
        self.protocols = protocols
        self.minimumBoundarySL = minimumBoundarySL
        self.tunnelCapability = tunnelCapability
    }
}

/// ZR-007: zones that must never be able to write into the target zones.
public struct AISafetyParameters: Sendable, Hashable {
    public var sourceKinds: Set<ZoneKind>
    public var targetKinds: Set<ZoneKind>

    public init(sourceKinds: Set<ZoneKind>, targetKinds: Set<ZoneKind>) {
        self.sourceKinds = sourceKinds
        self.targetKinds = targetKinds
    }
}
