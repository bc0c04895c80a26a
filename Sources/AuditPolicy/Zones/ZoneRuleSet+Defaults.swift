extension ZoneRuleSet {
    /// The rules `auditctl policy check` applies when no `--rules` file is given.
    /// Policies/zone-rules.yaml ships the same values; a test loads that file and compares
    /// it with this constant, so the two cannot drift. Defaults live in code so that the
    /// binary behaves the same from any working directory, offline, at the edge.
    public static let defaults = ZoneRuleSet(
        severities: Dictionary(uniqueKeysWithValues: ZoneRuleCatalog.all.map { ($0.id, $0.defaultSeverity) }),
        dmzBypass: DMZBypassParameters(
            dmzKinds: [.dmz],
            dmzLevels: [PurdueLevel(tenths: 35)],
            fromLevelAtLeast: PurdueLevel(tenths: 40),
            toLevelAtMost: PurdueLevel(tenths: 20)
        ),
        capabilityRequirements: [
            CapabilityRequirement(minimumSL: 2, capabilities: ["encryption", "mutual-authentication"]),
            CapabilityRequirement(minimumSL: 3, capabilities: ["encryption", "mutual-authentication", "integrity", "logging"]),
        ],
        allowedProtocols: [
            "https": [443],
            "opc-ua": [4840],
            "mqtts": [8883],
            "modbus-tcp": [502],
            "profinet": [],
            "ethernet-ip": [44818],
            "ssh": [22],
            "syslog-tls": [6514],
            "ntp": [123],
            "rdp": [3389],
        ],
        cleartext: CleartextParameters(
            protocols: ["http", "ftp", "telnet", "modbus-tcp", "mqtt", "snmpv1", "snmpv2c", "profinet",
                        "ethernet-ip", "s7comm", "dnp3", "syslog", "tftp", "vnc"],
            minimumBoundarySL: 2,
            tunnelCapability: "encrypted-tunnel"
        ),
        aiSafety: AISafetyParameters(sourceKinds: [.aiInference], targetKinds: [.safety]),
        signedBundlePurposes: [.modelDistribution]
    )
}
