import AuditCore
import AuditLedger

/// Builds the next push of a plant's ledger to the central from what the plant already
/// stores: the entries after the central's size, one of the plant's own signed checkpoints
/// and the consistency proof to it. Never signs anything new: the central must be shown
/// checkpoints the plant's log key signed when the entries were appended.
public enum FleetPushBuilder {
    /// The push that moves the central from `centralSize` towards the plant's newest
    /// checkpoint, at most `maxEntries` entries when a stored checkpoint allows it (the
    /// smallest checkpoint past `centralSize` otherwise). Nil when the central is up to date.
    public static func next(from store: LedgerStore, origin: String, centralSize: Int,
                            maxEntries: Int = 5_000) throws(LedgerError) -> FleetPush? {
        let checkpoints = try store.checkpoints()
        guard let newest = checkpoints.last, newest.size > centralSize else { return nil }
        let limit = centralSize + max(1, min(maxEntries, FleetPush.maxEntries))
        let within = checkpoints.last { $0.size > centralSize && $0.size <= limit }
        guard let target = within ?? checkpoints.first(where: { $0.size > centralSize }) else { return nil }
        let proof = centralSize == 0 ? [] : try store.consistencyProof(from: centralSize, to: target.size).path
        var entries: [PushedEntry] = []
        entries.reserveCapacity(target.size - centralSize)
        do {
            try store.forEachRow(fromSeq: centralSize, toSeq: target.size - 1) { row in
                entries.append(PushedEntry(seq: row.seq, time: row.time, kind: row.kind, actor: row.actor,
                                           subject: row.subject, payload: row.canonicalPayload, prev: row.prev))
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .storage(path: store.path, message: "\(error)")
        }
        return FleetPush(origin: origin, old: centralSize, proof: proof, checkpoint: target.note, entries: entries)
    }
}
