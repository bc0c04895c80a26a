import AuditCore
import Foundation

/// Brings a newer checkpoint to an air-gapped edge (`auditctl edge sync`): the sync file's
/// checkpoint must be signed by the trust root's log key and relate to what the edge saw
/// exactly as a bundle's would (`CheckpointRelation`); then the edge remembers it and every
/// prefix the file proves, so bundles anchored at any of them load later in any order.
public enum EdgeSync {
    public struct Outcome: Sendable, Equatable {
        /// The edge's last checkpoint before and after.
        public let before: EdgeState.SeenCheckpoint?
        public let after: EdgeState.SeenCheckpoint
        /// Checkpoints the file proved (the new one and its verified prefixes).
        public let proven: Int
        /// The largest witnessed checkpoint the file brought, when the trust root names
        /// witnesses and the file carried cosignatures by them.
        public let witnessed: Int?
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case input(BundleInputError)
        case refused(ApprovalProofFailure)
        /// A trusted witness's cosignature in the file does not verify, or is dated ahead.
        case witness(size: Int, WitnessFailure)

        public var description: String {
            switch self {
            case .input(let e): return e.description
            case .refused(let e): return e.description
            case let .witness(size, e): return "checkpoint size \(size): \(e)"
            }
        }
    }

    /// Applies `file` to the state in `store` under its lock; nothing changes on failure.
    public static func apply(_ file: EdgeSyncFile, trust: TrustRoot, store: EdgeStateStore,
                             now: Date = Date()) throws(Failure) -> Outcome {
        let checkpoint: CheckpointBody
        do throws(ApprovalProofFailure) { checkpoint = try ApprovalProofVerifier.openCheckpoint(file.checkpoint, log: trust.log) } catch {
            throw .refused(error)
        }
        do {
            return try store.withLock { () throws(BundleInputError) -> Result<Outcome, Failure> in
                var state = try store.load()
                let before = state.checkpoints.last
                let proven: [EdgeState.SeenCheckpoint]
                do throws(ApprovalProofFailure) {
                    proven = try CheckpointRelation.relate(checkpoint, steps: file.consistency, seen: state.checkpoints)
                } catch {
                    return .failure(.refused(error))
                }
                for p in proven { state.checkpoints.remember(p) }
                let witnessed: Int?
                do throws(Failure) { witnessed = try rememberWitnessed(file, trust: trust, state: &state, now: now) } catch {
                    return .failure(error)
                }
                try store.save(state)
                return .success(Outcome(before: before, after: state.checkpoints.last ?? proven[0], proven: proven.count,
                                        witnessed: witnessed))
            }.get()
        } catch let e as BundleInputError {
            throw .input(e)
        } catch let e as Failure {
            throw e
        } catch {
            throw .input(.unreadable(path: store.directory, reason: "\(error)"))
        }
    }
}
