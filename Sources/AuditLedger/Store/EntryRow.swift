import AuditCore
import Foundation
import GRDB

/// Mapping between an `entries` row and `Entry`. The payload column holds the canonical
/// JSON text exactly as hashed, so the verifier can hash stored bytes without re-encoding.
enum EntryRow {
    static func decode(_ row: Row) throws -> Entry {
        let seq: Int = row["seq"]
        let payloadText: String = row["payload"]
        let payload: JSONValue
        do {
            payload = try JSONValue.parse(Array(payloadText.utf8), source: "entry \(seq) payload")
        } catch {
            throw LedgerError.corrupted(seq: seq, reason: "stored payload is not valid JSON: \(error)")
        }
        let prevBytes: [UInt8] = [UInt8](row["prev"] as Data)
        guard let prev = Digest(bytes: prevBytes) else {
            throw LedgerError.corrupted(seq: seq, reason: "prev is not 32 bytes")
        }
        return Entry(seq: seq, time: row["time"], kind: row["kind"], actor: row["actor"],
                     subject: row["subject"], payload: payload, prev: prev)
    }
}

/// Which entries `auditctl log` lists.
public struct EntryFilter: Sendable {
    public var kind: String?
    /// Any of these kinds (uses the kind index); combined with `kind` by AND.
    public var kinds: [String]?
    public var actor: String?
    public var subject: String?
    public var fromSeq: Int?
    public var toSeq: Int?
    public var since: String?
    public var until: String?
    public var limit: Int?

    public init(kind: String? = nil, kinds: [String]? = nil, actor: String? = nil, subject: String? = nil,
                fromSeq: Int? = nil, toSeq: Int? = nil, since: String? = nil,
                until: String? = nil, limit: Int? = nil) {
        self.kind = kind
        self.kinds = kinds
        self.actor = actor
        self.subject = subject
        self.fromSeq = fromSeq
        self.toSeq = toSeq
        self.since = since
        self.until = until
        self.limit = limit
    }

    func sql() -> (String, StatementArguments) {
        var clauses: [String] = []
        var args: [any DatabaseValueConvertible] = []
        if let kind { clauses.append("kind = ?"); args.append(kind) }
        if let kinds {
            if kinds.isEmpty { clauses.append("0") } else {
                clauses.append("kind IN (" + kinds.map { _ in "?" }.joined(separator: ",") + ")")
                args += kinds.map { $0 as any DatabaseValueConvertible }
            }
        }
        if let actor { clauses.append("actor = ?"); args.append(actor) }
        if let subject { clauses.append("subject = ?"); args.append(subject) }
        if let fromSeq { clauses.append("seq >= ?"); args.append(fromSeq) }
        if let toSeq { clauses.append("seq <= ?"); args.append(toSeq) }
        if let since { clauses.append("time >= ?"); args.append(since) }
        if let until { clauses.append("time <= ?"); args.append(until) }
        var sql = "SELECT * FROM entries"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY seq"
        if let limit { sql += " LIMIT \(max(0, limit))" }
        return (sql, StatementArguments(args))
    }
}
