import AuditCore
import AuditLedger

/// Re-checks every record-level entry of a ledger, independent of how it was written:
/// every `signature.added` must verify under the signer's key active at that point and bind
/// to its change's current version; every decision must name that version and the policy in
/// force. A clean ledger yields no problems.
public enum RecordsAudit {
    /// Problems not acknowledged by an admin (`problem.acknowledged`).
    public static func problems(in entries: [Entry]) -> [RecordsProblem] {
        RecordsState.fold(entries).openProblems
    }

    public static func problems(in store: LedgerStore) throws(RecordsError) -> [RecordsProblem] {
        do { return try RecordsState.fold(store: store).openProblems } catch { throw .ledger(error) }
    }
}
