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
    /// Signatures in one entry's `payload.authority` (founding admins sign `ledger.created` together).
    public static let maxAuthoritySignatures = 16

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

// MARK: Local files given on the command line (AuditFiles/SafeFileReader callers)
extension Limits {
    /// Largest password, key or checkpoint file given as a secret (`--password-file`,
    /// `--log-key-file`, `--trusted-checkpoint`): a password is at most `maxPasswordBytes`.
    public static let maxSecretFileBytes = 64 * 1024
    /// Largest `decisions.jsonl` an edge uploads in one go (about 100 000 decisions).
    public static let maxEdgeDecisionsFileBytes = 256 * 1024 * 1024
    /// Largest password-verifier file (`credentials/<user>/<digest>.pwhash`) read; an
    /// Argon2id encoded hash is about 100 bytes.
    public static let maxPasswordVerifierFileBytes = 1024
}

// MARK: Zone topologies (AuditPolicy/Zones)
extension Limits {
    /// Longest zone, conduit, asset or flow id; ids appear in every finding's fingerprint.
    public static let maxTopologyIdentifierBytes = 128
}

// MARK: Model bundles (AuditBundle)
extension Limits {
    /// Largest signature file (`model.sig`) read. A 100 000-file manifest is about 15 MB of
    /// JSON, base64-encoded in the envelope.
    public static let maxBundleSignatureFileBytes = 24 * 1024 * 1024
    /// Largest decoded DSSE payload (the in-toto statement) parsed.
    public static let maxBundlePayloadBytes = 16 * 1024 * 1024
    /// Most signatures one envelope may carry: `model.sig` carries exactly one (the producer),
    /// the approvers' envelope one per approver.
    public static let maxBundleSignatures = 64
    /// Most files a bundle may hold, and most resources a manifest may list.
    public static let maxBundleFiles = 100_000
    /// Most manifest resources (files or shards).
    public static let maxBundleResources = 200_000
    /// Deepest directory nesting inside a bundle.
    public static let maxBundleDirectoryDepth = 32
    /// Longest relative path (bytes) of one bundle file.
    public static let maxBundlePathBytes = 4096
    /// Smallest shard size accepted: tinier shards only inflate the manifest.
    public static let minBundleShardBytes = 1024 * 1024
    /// Most `ignore_paths` a manifest may list.
    public static let maxBundleIgnorePaths = 64
    /// Read buffer per hashing worker: memory stays at workers x this, whatever the model size.
    public static let bundleHashBufferBytes = 4 * 1024 * 1024
    /// Largest trust-root file read.
    public static let maxTrustRootBytes = 4 * 1024 * 1024
    /// Most signer keys one trust root may list.
    public static let maxTrustRootSigners = 1024
    /// Largest approval-proof file read.
    public static let maxApprovalProofBytes = 1024 * 1024
    /// Most consistency proofs one approval proof may carry (from the checkpoints of earlier
    /// approvals and the newest stored checkpoints, so edges that saw any of them can follow).
    public static let maxApprovalConsistencyProofs = 128
    /// Checkpoints of earlier approvals a new approval proof or sync file proves consistency from.
    public static let consistencyFromApprovals = 64
    /// Newest stored checkpoints a new approval proof or sync file proves consistency from.
    public static let consistencyFromRecentCheckpoints = 32
    /// Largest edge sync file read (`auditctl edge sync --file`).
    public static let maxEdgeSyncFileBytes = 4 * 1024 * 1024
    /// Most consistency proofs one sync file may carry.
    public static let maxEdgeSyncConsistencyProofs = 1024
    /// Longest Merkle path accepted (a tree of 2^62 leaves needs 62).
    public static let maxMerklePathLength = 64
    /// Largest edge state file read (checkpoint seen, accepted versions).
    public static let maxEdgeStateFileBytes = 4 * 1024 * 1024
    /// Checkpoints the edge state remembers besides the newest (the largest sizes are kept):
    /// each one lets an older bundle anchored there be related to what the edge saw.
    public static let edgeCheckpointHistory = 1024
    /// Longest model version string.
    public static let maxModelVersionBytes = 128
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

// MARK: Zone waivers (AuditRecords waiver.granted)
extension Limits {
    /// Longest a waiver may run: a waived finding must be looked at again within a year.
    public static let maxWaiverDurationSeconds: Double = 366 * 86_400
    /// Longest finding id (fingerprint) a waiver may name; paths of long zone chains fit.
    public static let maxWaiverFindingIDBytes = 4096
}

// MARK: Fleet: plant pushes and witness cosignatures (AuditFleet, AuditBundle)
extension Limits {
    /// Largest answer body a plant reads from the central: a cosignature response is a few
    /// note signature lines, a 409 a number, an error a short JSON object.
    public static let maxFleetResponseBytes = 64 * 1024
    /// Longest error message from the central repeated to the operator (the rest is cut).
    public static let maxFleetErrorMessageBytes = 512
    /// Most witness keys one trust root may list.
    public static let maxTrustRootWitnesses = 32
    /// Witnessed (cosigned) checkpoints an edge state keeps, largest sizes first: any one of
    /// them at or past a bundle's checkpoint can vouch for it.
    public static let edgeWitnessedCheckpoints = 16
    /// Cosigned checkpoint sizes a bundle or sync file also proves consistency from, so an
    /// edge that last stood at one of them can relate the new checkpoint.
    public static let consistencyFromCosignedCheckpoints = 16
}
