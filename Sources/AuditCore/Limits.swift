/// Every size bound auditctl enforces on input, in one place, so the threat model can cite
/// them and a reviewer can see at a glance what hostile input is refused.
/// Add new bounds here, in the section of the module that enforces them.
public enum Limits {
    // MARK: JSON (AuditCore canonical JSON parser)
    /// Largest JSON document the parser accepts at all.
    public static let maxJSONDocumentBytes = 16 * 1024 * 1024
    /// Deepest nesting of arrays/objects; deeper input is hostile, not a model record.
    public static let maxJSONDepth = 64

    // MARK: Canonical JSON numbers (AuditCore/CanonicalJSON)
    /// Longest number literal the JSON parser converts. A double needs at most 17 significant
    /// digits; far longer literals only make decimal-to-binary conversion slow.
    public static let maxJSONNumberLiteralBytes = 1024

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

    // MARK: Approval policies (AuditPolicy/Approval)
    /// Roles one approval policy may declare.
    public static let maxApprovalRoles = 64
    /// Requirements one change type may list.
    public static let maxApprovalRequirementsPerChange = 16
    /// Largest k in "k signatures of role R"; more is a typo, not a policy.
    public static let maxApprovalCountPerRequirement = 16
    /// Longest proposal lifetime a policy may set (one year).
    public static let maxApprovalExpiryHours = 24 * 366
}

// MARK: Merkle tree (AuditLedger/Merkle)
extension Limits {
    /// Largest tree size (leaf count) the Merkle code accepts, in proofs, checkpoints and
    /// requests alike. 2^62 leaves is far beyond any real ledger, and bounding it keeps every
    /// index, size and `1 << level` computation clear of signed 64-bit overflow.
    public static let maxMerkleTreeSize = 1 << 62
}

// MARK: Crypto (AuditCrypto: sealed keys, password hashes, signed notes, PEM keys)
extension Limits {
    /// Largest sealed private-key file read; a real one is well under 1 KiB.
    public static let maxSealedKeyFileBytes = 64 * 1024
    /// Highest Argon2id memory cost accepted from any file or encoded hash (1 GiB), so a
    /// tampered key file or hash cannot make us allocate unbounded memory.
    public static let maxArgon2MemLimitBytes = 1024 * 1024 * 1024
    /// Highest Argon2id pass count accepted (libsodium's "sensitive" preset uses 4).
    public static let maxArgon2OpsLimit: UInt64 = 32
    /// Longest password hashed or verified; longer input is refused, not truncated.
    public static let maxPasswordBytes = 4096
    /// Largest C2SP signed note opened (checkpoints are a few hundred bytes).
    public static let maxSignedNoteBytes = 1024 * 1024
    /// Most signature lines one signed note may carry (the Go reference uses 100).
    public static let maxSignedNoteSignatures = 100
    /// Largest PEM public-key document parsed.
    public static let maxPEMBytes = 64 * 1024
}

// MARK: Records: people, keys, changes, e-signatures (AuditRecords)
extension Limits {
    /// User and change IDs: short, printable, safe as file names.
    public static let maxRecordIDBytes = 64
    /// Printed names shown with every signature.
    public static let maxPrintedNameBytes = 128
    /// Reasons and signature comments.
    public static let maxReasonBytes = 2048
    /// Roles one user may hold.
    public static let maxRolesPerUser = 32
    /// How far a signature's own UTC time may precede the ledger time of its entry; a
    /// signature claiming an older time is treated as backdated and does not count.
    public static let maxSignatureClockSkewSeconds: Double = 300
    /// Largest approval policy file whose text is stored in its `policy.updated` entry.
    public static let maxRecordedPolicyBytes = 32 * 1024
}
