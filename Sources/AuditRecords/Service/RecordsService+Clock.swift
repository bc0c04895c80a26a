import AuditCore
import Foundation

extension RecordsService {
    /// An admin marks entry `seq` as future-dated (its host clock was ahead). The ledger
    /// writer takes this entry's own (real) time as the floor for later entries, so appends
    /// work again without rewriting anything; `verify` reports the marked entry as corrected.
    @discardableResult
    public func correctClock(futureDatedSeq seq: Int, reason: String, by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkText(reason, field: "reason")
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        guard seq >= 0, seq < state.size else { throw .notFound(what: "entry", id: "\(seq)") }
        let entry: Entry
        do { entry = try store.entry(seq: seq) } catch { throw .ledger(error) }
        guard let at = UTCTime.parse(entry.time), at.timeIntervalSince(clock()) > Double(state.security.clockToleranceSeconds) else {
            throw .conflict("entry \(seq) is dated \(entry.time), not more than \(state.security.clockToleranceSeconds) s ahead of this host's clock; nothing to correct")
        }
        let actor = try await authenticateAdmin(admin, in: state, operation: "correct a future-dated entry")
        return try await append([EntryDraft(kind: EntryKind.clockCorrected, actor: actor.id, subject: "\(seq)", payload: [
            "seq": .number(Double(seq)), "recordedTime": .string(entry.time), "reason": .string(reason),
        ], authority: actor.authority)])[0]
    }
}
