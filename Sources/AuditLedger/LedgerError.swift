import AuditCore

/// Everything that can go wrong opening, writing or reading a ledger. Integrity failures
/// found by `verify` are not errors: they are `LedgerProblem`s in a report.
public enum LedgerError: Error, Equatable, CustomStringConvertible, Sendable {
    case notFound(path: String)
    case alreadyExists(path: String)
    case notALedger(path: String, reason: String)
    case newerSchema(path: String, unknownMigrations: [String])
    case storage(path: String, message: String)
    case invalidDraft(field: String, reason: String)
    case entryNotFound(seq: Int, size: Int)
    case invalidRange(String)
    case corrupted(seq: Int?, reason: String)
    case signing(String)
    case badKeyFile(path: String, reason: String)
    /// The host clock is behind the ledger's newest entry by more than the tolerance: an
    /// entry dated earlier than the one before it would make the record's order a lie.
    case clockBehind(hostTime: String, ledgerTime: String, seq: Int, toleranceSeconds: Double)
    /// The store was opened read-only (a backup, an evidence copy); nothing can be appended.
    case readOnly(path: String)
    /// A read-only copy holds a write-ahead log that SQLite cannot apply without writing
    /// its index beside it; reading the main file alone would silently miss those entries.
    case unappliedWAL(path: String)
    /// A file that must be created new already exists (nothing was written).
    case fileExists(path: String, what: String)

    public var description: String {
        switch self {
        case .notFound(let p): return "no ledger at \(p)"
        case .alreadyExists(let p): return "a ledger already exists at \(p)"
        case .notALedger(let p, let r): return "\(p) is not an auditctl ledger: \(r)"
        case .newerSchema(let p, let m):
            return "\(p) was written by a newer auditctl (unknown schema migrations: \(m.joined(separator: ", ")))"
        case .storage(let p, let m): return "cannot use ledger \(p): \(m)"
        case .invalidDraft(let f, let r): return "entry \(f): \(r)"
        case .entryNotFound(let s, let n): return "no entry with seq \(s) (the ledger has \(n) entries, seq 0..\(max(n - 1, 0)))"
        case .invalidRange(let m): return m
        case .corrupted(let s, let r):
            return s.map { "ledger corrupted at seq \($0): \(r)" } ?? "ledger corrupted: \(r)"
        case .signing(let m): return "cannot sign: \(m)"
        case .badKeyFile(let p, let r): return "\(p) is not a usable key file: \(r)"
        case .clockBehind(let host, let ledger, let seq, let tolerance):
            return "the host clock (\(host)) is behind the ledger's newest entry (seq \(seq) at \(ledger)) by more than the \(Int(tolerance)) s tolerance"
        case .readOnly(let p): return "\(p) is open read-only; nothing can be appended"
        case .unappliedWAL(let p):
            return "\(p) is read-only and has a write-ahead log (\(p)-wal) that cannot be applied without writing beside it"
        case .fileExists(let p, let what): return "\(what) \(p) already exists"
        }
    }
}
