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
        }
    }
}
