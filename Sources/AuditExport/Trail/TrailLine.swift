import AuditCore
import AuditLedger
import AuditRecords

/// One row of the audit trail as a person reads it: what happened, and for a revision the
/// value before and after (21 CFR 11.10(e): changes must not obscure what was recorded
/// before). Derived from the entry and the replayed records state just before and just
/// after it, by the same code in the writer and the verifier, so the CSV and the HTML can
/// be checked against the JSONL field by field.
public struct TrailLine: Sendable, Equatable {
    public let seq: Int
    public let time: String
    public let kind: String
    public let actor: String
    public let subject: String
    public let summary: String
    public let oldValue: String
    public let newValue: String
    public let hash: Digest

    static func describe(_ entry: Entry, hash: Digest, before: TrailBefore, after: RecordsState) -> TrailLine {
        let (summary, old, new) = TrailText.describe(entry, before: before, after: after)
        return TrailLine(seq: entry.seq, time: entry.time, kind: entry.kind, actor: entry.actor, subject: entry.subject,
                         summary: summary, oldValue: old, newValue: new, hash: hash)
    }

    /// The CSV columns, in order (`CSVTrail.header`).
    public var cells: [String] {
        [String(seq), time, kind, actor, subject, summary, oldValue, newValue, hash.prefixed]
    }
}
