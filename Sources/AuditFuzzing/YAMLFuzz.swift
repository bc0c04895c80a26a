import AuditPolicy

/// The strict YAML readers: approval policy, plant topology, zone rules. These formats have
/// no writer (people write them), so the property is that parsing is a function of the
/// bytes: the same input gives the same value twice, and the generic node tree agrees with
/// the typed loaders on whether the document is acceptable YAML at all.
enum YAMLFuzz {
    static let approvalPolicy = FuzzTarget(name: "yaml-approval-policy", summary: "Policies/approval.yaml") { bytes throws(FuzzPropertyViolation) in
        try twice("yaml-approval-policy", bytes) { b throws in try ApprovalPolicy.load(bytes: b, file: "fuzz.yaml") }
    }

    static let topology = FuzzTarget(name: "yaml-topology", summary: "plant topology (Docs/topology.md)") { bytes throws(FuzzPropertyViolation) in
        try twice("yaml-topology", bytes) { b throws in try TopologyLoader.parse(b, file: "fuzz.yaml") }
    }

    static let zoneRules = FuzzTarget(name: "yaml-zone-rules", summary: "Policies/zone-rules.yaml") { bytes throws(FuzzPropertyViolation) in
        try twice("yaml-zone-rules", bytes) { b throws in try ZoneRulesLoader.parse(b, file: "fuzz.yaml") }
    }

    private static func twice<T: Equatable>(_ name: String, _ bytes: [UInt8], _ load: ([UInt8]) throws -> T) throws(FuzzPropertyViolation) {
        let node = try? StrictYAML.parse(bytes, file: "fuzz.yaml")
        guard let first = try? load(bytes) else { return }
        guard node != nil else { throw FuzzPropertyViolation(name, "typed loader accepted a document StrictYAML refuses") }
        let second = try Expect.reparse(name, "the same bytes") { try load(bytes) }
        try Expect.equal(second, first, name, "second parse of the same bytes")
    }
}
