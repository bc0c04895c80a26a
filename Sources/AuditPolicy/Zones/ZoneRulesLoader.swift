/// Reads a zone-rules file (Policies/zone-rules.yaml, Schemas/zone-rules.schema.json).
/// Rules and parameters not mentioned keep their defaults; unknown rule ids or parameters
/// are errors; there is deliberately no way to switch a rule off (that takes a waiver).
public enum ZoneRulesLoader {
    public static let supportedVersion = 1

    /// Parameters each rule accepts besides `severity`.
    static let parameterKeys: [ZoneRuleID: [String]] = [
        .dmzBypass: ["dmzKinds", "dmzLevels", "fromLevelAtLeast", "toLevelAtMost"],
        .conduitCapabilities: ["requirements"],
        .protocolAllowed: ["allowedProtocols"],
        .cleartextBoundary: ["cleartextProtocols", "minimumBoundarySL", "tunnelCapability"],
        .aiWriteIntoSafety: ["sourceKinds", "targetKinds"],
        .signedModelDestination: ["purposes"],
    ]

    public static func load(path: String) throws -> ZoneRuleSet {
        try parse(PolicyFile.read(path, what: "zone rules"), file: path)
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(YAMLInputError) -> ZoneRuleSet {
        let root = try YAMLMappingReader(StrictYAML.parse(bytes, file: file), file: file, allowedKeys: ["version", "rules"])
        let version = try root.int("version")
        guard version == supportedVersion else {
            throw YAMLInputError(file: file, at: try root.required("version"),
                                 "unsupported zone-rules version \(version) (this auditctl reads version \(supportedVersion))")
        }
        var rules = ZoneRuleSet.defaults
        guard let table = try root.optionalMapping("rules", allowedKeys: nil) else { return rules }
        for entry in table.entries {
            guard let rule = ZoneRuleID(rawValue: entry.key) else {
                let known = ZoneRuleID.allCases.map(\.rawValue).joined(separator: ", ")
                throw YAMLInputError(file: file, line: entry.keyLine, column: entry.keyColumn,
                                     message: "unknown rule '\(entry.key)' (known: \(known))")
            }
            let context = "rule \(rule.rawValue)"
            if case .mapping(let pairs) = entry.value.kind, let off = pairs.first(where: { $0.key == "enabled" }) {
                throw YAMLInputError(file: file, line: off.keyLine, column: off.keyColumn,
                                     message: "\(context): rules cannot be switched off; accept a specific finding with a signed waiver instead")
            }
            let reader = try YAMLMappingReader(entry.value, file: file,
                                               allowedKeys: ["severity"] + (parameterKeys[rule] ?? []), context: context)
            if let severity = reader.optional("severity") {
                rules.severities[rule] = try severity.enumValue(ZoneSeverity.self, file: file, what: "'severity' in \(context)")
            }
            try apply(reader, to: &rules, rule: rule)
        }
        return rules
    }

    private static func apply(_ reader: YAMLMappingReader, to rules: inout ZoneRuleSet, rule: ZoneRuleID) throws(YAMLInputError) {
        let file = reader.file
        switch rule {
        case .dmzBypass:
            if let kinds = try kinds(reader, "dmzKinds") { rules.dmzBypass.dmzKinds = kinds }
            if let node = reader.optional("dmzLevels") {
                var levels: Set<PurdueLevel> = []
                for item in try node.sequence(file: file, what: "'dmzLevels' in \(reader.context)") {
                    levels.insert(try purdue(item, file: file, what: "item of 'dmzLevels' in \(reader.context)"))
                }
                rules.dmzBypass.dmzLevels = levels
            }
            if let node = reader.optional("fromLevelAtLeast") {
                rules.dmzBypass.fromLevelAtLeast = try purdue(node, file: file, what: "'fromLevelAtLeast' in \(reader.context)")
            }
            if let node = reader.optional("toLevelAtMost") {
                rules.dmzBypass.toLevelAtMost = try purdue(node, file: file, what: "'toLevelAtMost' in \(reader.context)")
            }
        case .conduitCapabilities:
            if let node = reader.optional("requirements") {
                var requirements: [CapabilityRequirement] = []
                for (index, item) in try node.sequence(file: file, what: "'requirements' in \(reader.context)").enumerated() {
                    let requirement = try YAMLMappingReader(item, file: file, allowedKeys: ["minimumSL", "capabilities"],
                                                            context: "requirement \(index + 1) of \(reader.context)")
                    requirements.append(CapabilityRequirement(minimumSL: try requirement.int("minimumSL", range: 0...4),
                                                              capabilities: try requirement.stringList("capabilities")))
                }
                rules.capabilityRequirements = requirements
            }
        case .protocolAllowed:
            if let table = try reader.optionalMapping("allowedProtocols", allowedKeys: nil) {
                var allowed: [String: [Int]] = [:]
                for entry in table.entries {
                    var ports: [Int] = []
                    for item in try entry.value.sequence(file: file, what: "ports of '\(entry.key)' in \(reader.context)") {
                        ports.append(try item.int(file: file, what: "port of '\(entry.key)'", range: 0...65535))
                    }
                    allowed[entry.key] = ports
                }
                rules.allowedProtocols = allowed
            }
        case .cleartextBoundary:
            if let names = try reader.optionalStringList("cleartextProtocols") { rules.cleartext.protocols = Set(names) }
            if let level = try reader.optionalInt("minimumBoundarySL", range: 0...4) { rules.cleartext.minimumBoundarySL = level }
            if let capability = try reader.optionalString("tunnelCapability") { rules.cleartext.tunnelCapability = capability }
        case .aiWriteIntoSafety:
            if let kinds = try kinds(reader, "sourceKinds") { rules.aiSafety.sourceKinds = kinds }
            if let kinds = try kinds(reader, "targetKinds") { rules.aiSafety.targetKinds = kinds }
        case .signedModelDestination:
            if let node = reader.optional("purposes") {
                var purposes: Set<FlowPurpose> = []
                for item in try node.sequence(file: file, what: "'purposes' in \(reader.context)") {
                    purposes.insert(try item.enumValue(FlowPurpose.self, file: file, what: "item of 'purposes' in \(reader.context)"))
                }
                rules.signedBundlePurposes = purposes
            }
        default:
            break
        }
    }

    private static func kinds(_ reader: YAMLMappingReader, _ key: String) throws(YAMLInputError) -> Set<ZoneKind>? {
        guard let node = reader.optional(key) else { return nil }
        var kinds: Set<ZoneKind> = []
        for item in try node.sequence(file: reader.file, what: "'\(key)' in \(reader.context)") {
            kinds.insert(try item.enumValue(ZoneKind.self, file: reader.file, what: "item of '\(key)' in \(reader.context)"))
        }
        return kinds
    }

    private static func purdue(_ node: YAMLNode, file: String, what: String) throws(YAMLInputError) -> PurdueLevel {
        guard let level = PurdueLevel(try node.double(file: file, what: what)) else {
            throw YAMLInputError(file: file, at: node, "\(what): must be one of 0, 1, 2, 3, 3.5, 4, 5")
        }
        return level
    }
}
