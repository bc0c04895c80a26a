import AuditCore
import AuditFiles
import Foundation

/// Applies a decision to the edge state: a "may load" moves the checkpoint forward, keeps
/// the earlier checkpoints its proof proved and the checkpoint's witness cosignatures (when
/// the trust root names witnesses), and records the accepted release with its approval seq; every decision (loaded or blocked) is appended to
/// `decisions.jsonl` for upload as deployment.verified / deployment.blocked.
public enum EdgeRecorder {
    /// `pendingUpload: false` when the decision already reached the ledger directly.
    /// `decisionLine` is the decision as signed by the edge (`EdgeSigner`), kept for upload.
    public static func record(_ result: VerificationResult, bundle: String, zone: String?,
                              store: EdgeStateStore, time: Date = Date(), pendingUpload: Bool = true,
                              decisionLine: JSONValue? = nil) throws(BundleInputError) {
        try store.withLock { () throws(BundleInputError) in
            var state = try store.load()
            if result.mayLoad, let checkpoint = result.checkpoint, let statement = result.statement, let release = statement.release {
                state.checkpoints.remember(EdgeState.SeenCheckpoint(size: checkpoint.size, root: checkpoint.root))
                for proven in result.provenCheckpoints { state.checkpoints.remember(proven) }
                if let witnessed = result.witnessedCheckpoint { state.rememberWitnessed(witnessed) }
                state.accept(EdgeState.AcceptedRelease(
                    model: release.modelName, zone: zone ?? "", version: release.modelVersion,
                    bundleDigest: statement.subjectDigest, changeID: release.changeID,
                    approvalSeq: result.approvalSeq, acceptedAt: UTCTime.format(time)))
                try store.save(state)
            }
            if pendingUpload { try store.appendDecision(decisionLine ?? decisionRecord(result, bundle: bundle, zone: zone, time: time)) }
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

    /// Takes every decision waiting in `decisions.jsonl` and hands it to `upload` in order;
    /// the file is moved aside only after all of them were accepted, so a failed upload is
    /// simply retried later and nothing is lost.
    public static func drainDecisions(store: EdgeStateStore, upload: ([JSONValue]) async throws -> Void) async throws -> Int {
        let path = store.decisionsFile
        let data: [UInt8]
        do {
            data = try SafeFileReader.read(path, limit: Limits.maxEdgeDecisionsFileBytes, what: "decision log", symlinks: .refuse)
        } catch {
            if error.problem == .notFound { return 0 }
            throw BundleInputError(error)
        }
        var records: [JSONValue] = []
        for (i, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            do { records.append(try JSONValue.parse(Array(line), source: "\(path) line \(i + 1)")) } catch {
                throw BundleInputError.unreadable(path: path, reason: "line \(i + 1) is not a decision record: \(error)")
            }
        }
        try await upload(records)
        let aside = store.directory + "/decisions.uploaded-\(UTCTime.format(Date()).replacingOccurrences(of: ":", with: "")).jsonl"
        guard rename(path, aside) == 0 else { throw BundleInputError.unreadable(path: path, reason: "uploaded, but cannot move it aside") }
        return records.count
    }
}
