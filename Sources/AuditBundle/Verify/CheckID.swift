/// The checks of `verify-bundle`, in the fixed order they are reported. Each has a stable
/// code (for `--json` and scripts) and its own exit code (Docs/verify-bundle.md); the exit
/// code of a refused bundle is that of the first failed check in this order. Exit codes are
/// never renumbered: a check added later takes the next free code wherever it is listed.
public enum CheckID: String, CaseIterable, Sendable {
    /// `model.sig` readable, well-formed, an in-toto statement of model-signing v1.0 whose
    /// subject digest is the hash of its resources.
    case envelope = "envelope"
    /// Every file's SHA-256 (or every shard's) equals the manifest's.
    case fileDigests = "files.digest"
    /// No file missing, none extra, none renamed.
    case fileSet = "files.set"
    /// No symlink (or none leaving the bundle), no path traversal, no special file.
    case layout = "files.layout"
    /// Every signature valid and from a known key valid at approval time; at least the
    /// required number of approver (Ed25519) signatures.
    case signatures = "signatures"
    /// The approvers' roles satisfy the approval policy for the change type.
    case roles = "roles"
    /// change.approved entry → inclusion proof → checkpoint signed by the trusted log.
    case approvalProof = "approval.proof"
    /// The checkpoint extends (or is) the last one this edge saw.
    case checkpointConsistency = "approval.consistency"
    /// The checkpoint, or a later one the edge holds and is consistent with, carries the trust
    /// root's quorum of valid witness cosignatures. Reported only when the trust root names
    /// witnesses: without them, verify-bundle's output is what it was before witnesses existed.
    case approvalWitness = "approval.witness"
    /// The approved change's recorded bundle digest and release fields equal the bundle's.
    case recordedDigest = "approval.digest"
    /// The version is not older than the last one accepted for this model and zone.
    case rollback = "rollback"
    /// The target zone is one the change was approved for, and the topology admits it.
    case zone = "zone"

    public var exitCode: Int32 {
        switch self {
        case .envelope: return 20
        case .fileDigests: return 21
        case .fileSet: return 22
        case .layout: return 23
        case .signatures: return 24
        case .roles: return 25
        case .approvalProof: return 26
        case .checkpointConsistency: return 27
        case .approvalWitness: return 31
        case .recordedDigest: return 28
        case .rollback: return 29
        case .zone: return 30
        }
    }

    public var title: String {
        switch self {
        case .envelope: return "signature file"
        case .fileDigests: return "file digests"
        case .fileSet: return "file set"
        case .layout: return "layout"
        case .signatures: return "signatures"
        case .roles: return "approver roles"
        case .approvalProof: return "approval proof"
        case .checkpointConsistency: return "checkpoint consistency"
        case .approvalWitness: return "witness cosignatures"
        case .recordedDigest: return "recorded digest"
        case .rollback: return "rollback"
        case .zone: return "zone admission"
        }
    }
}

public enum CheckStatus: String, Sendable {
    case passed, failed
    /// Not applicable (no `--state`, no `--zone`) or impossible because an earlier input failed.
    case skipped
}

public struct CheckResult: Sendable, Equatable {
    public let id: CheckID
    public let status: CheckStatus
    /// One line for the operator: what was checked, or why it failed.
    public let detail: String
    /// Every individual finding (file names, signer ids), for `--json` and tests.
    public let findings: [String]

    public init(_ id: CheckID, _ status: CheckStatus, _ detail: String, findings: [String] = []) {
        self.id = id
        self.status = status
        self.detail = detail
        self.findings = findings
    }
}
