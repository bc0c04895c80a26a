import AuditCore
import Foundation

/// What an edge remembers between verifications (`--state DIR`): the checkpoints it has
/// seen (so a forked or rolled-back log is noticed) and the last version it accepted per
/// model and zone (so an older, still validly signed bundle cannot be reinstalled).
public struct EdgeState: Sendable, Equatable {
    public static let formatVersion = 1

    public struct SeenCheckpoint: Sendable, Equatable {
        public let size: Int
        public let root: Digest
        public init(size: Int, root: Digest) { self.size = size; self.root = root }
    }

    public struct CheckpointMemory: Sendable, Equatable {
        /// The largest checkpoint seen.
        public var last: SeenCheckpoint?
        /// Earlier ones, newest first, bounded by `Limits.edgeCheckpointHistory`.
        public var history: [SeenCheckpoint]
        public init(last: SeenCheckpoint? = nil, history: [SeenCheckpoint] = []) { self.last = last; self.history = history }

        /// Records `checkpoint` once it verified; `last` only ever moves forward.
        public mutating func remember(_ checkpoint: SeenCheckpoint) {
            guard let current = last else { last = checkpoint; return }
            if checkpoint.size > current.size {
                history.insert(current, at: 0)
                last = checkpoint
            } else if checkpoint.size < current.size, !history.contains(checkpoint) {
                history.insert(checkpoint, at: 0)
            }
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
        public let acceptedAt: String
        public init(model: String, zone: String, version: String, bundleDigest: Digest, changeID: String, acceptedAt: String) {
            self.model = model
            self.zone = zone
            self.version = version
            self.bundleDigest = bundleDigest
            self.changeID = changeID
            self.acceptedAt = acceptedAt
        }
    }

    public var checkpoints = CheckpointMemory()
    public var accepted: [AcceptedRelease] = []

    public init(checkpoints: CheckpointMemory = CheckpointMemory(), accepted: [AcceptedRelease] = []) {
        self.checkpoints = checkpoints
        self.accepted = accepted
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
