import AuditCore

/// One integrity finding of `verify`. `seq` names the first entry concerned;
/// checkpoint findings name the checkpoint's tree size instead.
public struct LedgerProblem: Sendable, Equatable, CustomStringConvertible, Codable {
    public enum Kind: String, Sendable, Codable {
        case missingEntries = "missing-entries"
        case malformedEntry = "malformed-entry"
        case entryHashMismatch = "entry-hash-mismatch"
        case chainBroken = "chain-broken"
        case treeNodeMismatch = "tree-node-mismatch"
        case checkpointMalformed = "checkpoint-malformed"
        case checkpointSignature = "checkpoint-signature"
        case checkpointContradicted = "checkpoint-contradicted"
        case checkpointBeyondLog = "checkpoint-beyond-log"
        case uncoveredEntries = "unsigned-entries"
        case trustedCheckpointNotExtended = "trusted-checkpoint-not-extended"
        case verifierKeyMismatch = "verifier-key-mismatch"
        /// A record-level entry that is intact but does not hold: a signature that does not
        /// verify or bind, a decision not backed by signatures, a malformed record.
        case recordInvalid = "record-invalid"
        /// An entry dated after a later entry (or after the verifier's clock) by more than the
        /// clock tolerance: written while the host clock was ahead. Later entries are not
        /// blamed. A `clock.corrected` entry naming it turns the finding into a notice.
        case suspiciousTime = "suspicious-time"
        /// A `clock.corrected` entry that names no earlier entry.
        case clockCorrectionInvalid = "clock-correction-invalid"
    }

    public let kind: Kind
    public internal(set) var seq: Int?
    public let checkpointSize: Int?
    public let message: String
    /// For a Merkle node finding: the entries the node covers.
    var coveredRange: Range<Int>?

    private enum CodingKeys: String, CodingKey { case kind, seq, checkpointSize, message }

    public init(_ kind: Kind, seq: Int? = nil, checkpointSize: Int? = nil, _ message: String) {
        self.kind = kind
        self.seq = seq
        self.checkpointSize = checkpointSize
        self.message = message
    }

    public var description: String {
        if let seq { return "seq \(seq): \(message)" }
        if let checkpointSize { return "checkpoint at size \(checkpointSize): \(message)" }
        return message
    }
}

/// The outcome of a full ledger verification.
public struct LedgerVerificationReport: Sendable {
    public let size: Int
    public let root: Digest
    public let checkpointsChecked: Int
    public let latestCheckpointSize: Int?
    public let trustedCheckpointSize: Int?
    public let problems: [LedgerProblem]
    /// Findings that do not fail verification but an auditor should see, e.g. a future-dated
    /// entry that a later `clock.corrected` entry accounts for.
    public let notices: [LedgerProblem]

    public init(size: Int, root: Digest, checkpointsChecked: Int, latestCheckpointSize: Int?,
                trustedCheckpointSize: Int?, problems: [LedgerProblem], notices: [LedgerProblem] = []) {
        self.size = size
        self.root = root
        self.checkpointsChecked = checkpointsChecked
        self.latestCheckpointSize = latestCheckpointSize
        self.trustedCheckpointSize = trustedCheckpointSize
        self.problems = problems
        self.notices = notices
    }

    public var ok: Bool { problems.isEmpty }

    /// The lowest entry seq any problem names, the answer to "where did it go wrong?".
    public var firstBadSeq: Int? { problems.compactMap(\.seq).min() }
}
