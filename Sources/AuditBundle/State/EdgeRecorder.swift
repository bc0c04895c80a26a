import AuditCore
import Foundation

/// Applies a decision to the edge state: a "may load" moves the checkpoint forward and
/// records the accepted version; every decision (loaded or blocked) is appended to
/// `decisions.jsonl` for upload as deployment.verified / deployment.blocked.
public enum EdgeRecorder {
    public static func record(_ result: VerificationResult, bundle: String, zone: String?,
                              store: EdgeStateStore, time: Date = Date()) throws(BundleInputError) {
        try store.withLock { () throws(BundleInputError) in
            var state = try store.load()
            if result.mayLoad, let checkpoint = result.checkpoint, let statement = result.statement, let release = statement.release {
                state.checkpoints.remember(EdgeState.SeenCheckpoint(size: checkpoint.size, root: checkpoint.root))
                state.accept(EdgeState.AcceptedRelease(
                    model: release.modelName, zone: zone ?? "", version: release.modelVersion,
                    bundleDigest: statement.subjectDigest, changeID: release.changeID, acceptedAt: UTCTime.format(time)))
                try store.save(state)
            }
            try store.appendDecision(decisionRecord(result, bundle: bundle, zone: zone, time: time))
        }
    }

    /// The would-be ledger entry draft for this decision (kind, subject, payload).
    public static func decisionRecord(_ result: VerificationResult, bundle: String, zone: String?, time: Date) -> JSONValue {
        var payload = result.jsonValue.objectValue ?? [:]
        payload["bundle"] = .string(bundle)
        payload["zone"] = zone.map { .string($0) } ?? .null
        return .object([
            "kind": .string(result.mayLoad ? EntryKind.deploymentVerified : EntryKind.deploymentBlocked),
            "time": .string(UTCTime.format(time)),
            "subject": .string(result.statement?.release?.changeID ?? ""),
            "payload": .object(payload),
        ])
    }
}
