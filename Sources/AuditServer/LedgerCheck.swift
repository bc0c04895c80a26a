import AuditCore
import AuditLedger
import AuditRecords
import NIOConcurrencyHelpers

/// The `auditctl verify` checks over HTTP: every hash, the chain, the Merkle tree, every
/// signed checkpoint under the log key in the data directory, then the records replay.
/// The same library calls the CLI makes; the report is cached per ledger version, since a
/// full check of a large ledger takes seconds and nothing changes until something is
/// committed to the file (an append, or an edit that `verify` must then report).
enum LedgerCheck {
    static func run(_ ledger: ServerLedger) throws -> JSONValue {
        let version = try ledger.store.version()
        if let cached = ledger.verifyCache.withLockedValue({ $0 }), cached.version == version { return cached.report }
        let key = try ledger.home.verifierKey()
        var problems: [LedgerProblem] = []
        if key.encoded != ledger.store.verifierKey {
            problems.append(LedgerProblem(.verifierKeyMismatch, "the ledger names verifier key \(ledger.store.verifierKey), log.vkey holds \(key.encoded)"))
        }
        var verifier = LedgerVerifier(store: ledger.store, noteVerifier: NoteCheckpointVerifier(key: key))
        verifier.requireFullCoverage = false
        let r = try verifier.verify()
        if r.problems.isEmpty {
            problems += try RecordsAudit.problems(in: ledger.store).map {
                LedgerProblem(.recordInvalid, seq: $0.seq, "\($0.kind): \($0.message)")
            }
        }
        let all = (problems + r.problems).sorted { ($0.seq ?? Int.max) < ($1.seq ?? Int.max) }
        let report: JSONValue = .object([
            "ok": .bool(all.isEmpty), "size": JSONValue(r.size), "root": .string(r.root.prefixed),
            "checkpointsChecked": JSONValue(r.checkpointsChecked), "latestCheckpointSize": .optional(r.latestCheckpointSize),
            "firstBadSeq": .optional(all.first?.seq),
            "problems": .array(all.map { p in
                .object(["kind": .string(p.kind.rawValue), "message": .string(p.message), "seq": .optional(p.seq),
                         "checkpointSize": .optional(p.checkpointSize)])
            }),
        ])
        ledger.verifyCache.withLockedValue { $0 = (version, report) }
        return report
    }
}
