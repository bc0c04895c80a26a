/// Every size bound auditctl enforces on input, in one place, so the threat model can cite
/// them and a reviewer can see at a glance what hostile input is refused.
/// Add new bounds here, in the section of the module that enforces them.
public enum Limits {
    // MARK: JSON (AuditCore canonical JSON parser)
    /// Largest JSON document the parser accepts at all.
    public static let maxJSONDocumentBytes = 16 * 1024 * 1024
    /// Deepest nesting of arrays/objects; deeper input is hostile, not a model record.
    public static let maxJSONDepth = 64

    // MARK: Ledger
    /// Largest canonical payload of one ledger entry.
    public static let maxEntryPayloadBytes = 64 * 1024
    /// Entry kinds are short dotted words such as `change.proposed`.
    public static let maxKindBytes = 64
    /// Actor and subject identifiers.
    public static let maxIdentifierBytes = 256
    /// Entries one group commit may carry before it is cut.
    public static let maxGroupCommitEntries = 1024

    // MARK: YAML policies and topologies (AuditPolicy)
    /// Largest policy or topology file read.
    public static let maxYAMLBytes = 4 * 1024 * 1024
    /// Deepest nesting in a YAML document.
    public static let maxYAMLDepth = 32
    /// Most nodes (scalars + collections) in one YAML document.
    public static let maxYAMLNodes = 500_000

    // MARK: Zone topologies (AuditPolicy/Zones)
    /// Longest zone, conduit, asset or flow id; ids appear in every finding's fingerprint.
    public static let maxTopologyIdentifierBytes = 128
}
