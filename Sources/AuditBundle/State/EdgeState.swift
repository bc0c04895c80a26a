import AuditCore
import Foundation

/// What an edge remembers between verifications (`--state DIR`): the checkpoints it has
/// seen or had proven to it (so a forked or rolled-back log is noticed, and an older bundle
/// anchored at one of them can still be related), and per model and zone the approval it
/// last accepted (so a superseded approval cannot be replayed: anti-rollback follows the
/// ledger order of approvals, not version strings).
public struct EdgeState: Sendable, Equatable {
    /// 2: accepted releases carry the ledger seq of their `change.approved` entry. Version 1
    /// files are read and upgraded on the next write (`EdgeState+JSON`).
    public static let formatVersion = 2
    /// 3: also witnessed checkpoints. Written only when the state holds one, so an edge whose
    /// trust root names no witnesses keeps writing format 2, as before witnesses existed.
    public static let witnessedFormatVersion = 3

    public struct SeenCheckpoint: Sendable, Equatable {
        public let size: Int
        public let root: Digest
        public init(size: Int, root: Digest) { self.size = size; self.root = root }
    }

    public struct CheckpointMemory: Sendable, Equatable {
        /// The largest checkpoint seen.
        public var last: SeenCheckpoint?
        /// Smaller ones, largest first, bounded by `Limits.edgeCheckpointHistory`.
        public var history: [SeenCheckpoint]
        public init(last: SeenCheckpoint? = nil, history: [SeenCheckpoint] = []) { self.last = last; self.history = history }

        /// Records a checkpoint once it verified and was related to what the edge saw (see
        /// `CheckpointRelation`); `last` only ever moves forward. When the history is full the
        /// smallest sizes go first: bundles anchored there are the least likely to arrive.
        public mutating func remember(_ checkpoint: SeenCheckpoint) {
            guard let current = last else { last = checkpoint; return }
            if checkpoint.size > current.size {
                insert(current)
                last = checkpoint
            } else if checkpoint.size < current.size {
                insert(checkpoint)
            }
        }

        /// The remembered checkpoint of `size`, if any.
        public func known(size: Int) -> SeenCheckpoint? {
            if let last, last.size == size { return last }
            return history.first { $0.size == size }
        }

        private mutating func insert(_ checkpoint: SeenCheckpoint) {
            guard !history.contains(where: { $0.size == checkpoint.size }) else { return }
            let at = history.firstIndex { $0.size < checkpoint.size } ?? history.endIndex
            history.insert(checkpoint, at: at)
            if history.count > Limits.edgeCheckpointHistory { history.removeLast(history.count - Limits.edgeCheckpointHistory) }
        }
    }

    public struct AcceptedRelease: Sendable, Equatable {
        public let model: String
        /// "" when verified without `--zone`.
        public let zone: String
        public let version: String
        public let bundleDigest: Digest
        public let changeID: String
        /// Seq of the `change.approved` entry that approved it: the later approval wins.
        /// nil only for releases carried over from a version 1 state file.
        public let approvalSeq: Int?
        public let acceptedAt: String
        public init(model: String, zone: String, version: String, bundleDigest: Digest, changeID: String,
                    approvalSeq: Int?, acceptedAt: String) {
            self.model = model
            self.zone = zone
            self.version = version
            self.bundleDigest = bundleDigest
            self.changeID = changeID
            self.approvalSeq = approvalSeq
            self.acceptedAt = acceptedAt
        }
    }

    public var checkpoints = CheckpointMemory()
    public var accepted: [AcceptedRelease] = []
    /// Checkpoints of the trusted log that carry witness cosignatures (largest size first),
    /// each also remembered in `checkpoints`: a bundle anchored at or below one of them can
    /// borrow its cosignatures (`approval.witness`). See `EdgeState+Witnessed`.
    public var witnessed: [WitnessedCheckpoint] = []

    public init(checkpoints: CheckpointMemory = CheckpointMemory(), accepted: [AcceptedRelease] = [],
                witnessed: [WitnessedCheckpoint] = []) {
        self.checkpoints = checkpoints
        self.accepted = accepted
        self.witnessed = witnessed
    }

    public func lastAccepted(model: String, zone: String) -> AcceptedRelease? {
        accepted.first { $0.model == model && $0.zone == zone }
    }

    public mutating func accept(_ release: AcceptedRelease) {
        accepted.removeAll { $0.model == release.model && $0.zone == release.zone }
        accepted.append(release)
        accepted.sort { ($0.model, $0.zone) < ($1.model, $1.zone) }
    }
}
