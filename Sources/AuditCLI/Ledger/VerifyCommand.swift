import ArgumentParser
import AuditCore
import AuditLedger
import AuditRecords
import Foundation

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-derive every hash, the chain, the Merkle tree and check every signed checkpoint.",
        discussion: """
        Exit 0 only when everything holds. Pass --log-key with your own copy of the log's \
        verifier key and --trusted-checkpoint with the last checkpoint you saw: a copy kept \
        next to the ledger can be replaced by whoever can replace the ledger.
        """)

    @OptionGroup var ledger: LedgerOptions
    @Option(name: .customLong("trusted-checkpoint"), help: "A signed checkpoint this log must still extend.")
    var trustedCheckpoint: String?
    @Option(name: .customLong("log-key"), help: "Verifier key file to trust (default: log.vkey in the data directory).")
    var logKey: String?
    @Flag(name: .customLong("allow-unsigned-tail"), help: "Accept entries newer than the latest signed checkpoint.")
    var allowUnsignedTail = false
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        let store = try ledger.openForReading()
        let report: LedgerVerificationReport
        do {
            let key = try ledger.home.verifierKey(path: logKey)
            var problems: [LedgerProblem] = []
            if key.encoded != store.verifierKey {
                problems.append(LedgerProblem(.verifierKeyMismatch, "the ledger names verifier key \(store.verifierKey), the trusted key is \(key.encoded)"))
            }
            var verifier = LedgerVerifier(store: store, noteVerifier: NoteCheckpointVerifier(key: key))
            verifier.requireFullCoverage = !allowUnsignedTail
            // Judge entry times with the recorded policy's tolerance when the records replay
            // can tell it (a damaged ledger falls back to the default; its damage is reported below).
            if let seconds = try? RecordsState.fold(store: store).security.clockToleranceSeconds {
                verifier.clockTolerance = Double(seconds)
            }
            let trusted = try trustedCheckpoint.map { try SecretFile.read($0, what: "trusted checkpoint") + "\n" }
            // The records replay reads the very rows the scan verified, in the same snapshot.
            let replayed = EntryCollector()
            let r = try verifier.verify(trustedCheckpointNote: trusted,
                                        visitor: LedgerEntryVisitor(kinds: Set(RecordsState.foldedKinds)) { replayed.entries.append($0) })
            // Intact bytes are not enough: every e-signature, decision and waiver must also
            // hold when replayed (a hand-appended approval or a forged signature fails here).
            var notices = r.notices
            if r.problems.isEmpty {
                let state = RecordsState.fold(replayed.entries)
                problems += state.openProblems.map {
                    LedgerProblem(.recordInvalid, seq: $0.seq, "\($0.kind): \($0.message)")
                }
                // Rejected entries an admin acknowledged stay listed; they have no effect.
                notices += state.problems.filter { state.acknowledged[$0.seq] != nil }.map {
                    LedgerProblem(.recordInvalid, seq: $0.seq,
                                  "\($0.kind): \($0.message) (rejected, no effect; acknowledged at seq \(state.acknowledged[$0.seq]!))")
                }
            }
            report = LedgerVerificationReport(size: r.size, root: r.root, checkpointsChecked: r.checkpointsChecked,
                                              latestCheckpointSize: r.latestCheckpointSize,
                                              trustedCheckpointSize: r.trustedCheckpointSize,
                                              problems: (problems + r.problems).sorted { ($0.seq ?? Int.max) < ($1.seq ?? Int.max) },
                                              notices: notices)
        } catch let e as LedgerError {
            throw CLIFailure(ledgerError: e)
        }
        if json {
            Output.json(.object([
                "ok": .bool(report.ok), "size": .number(Double(report.size)), "root": .string(report.root.prefixed),
                "checkpointsChecked": .number(Double(report.checkpointsChecked)),
                "latestCheckpointSize": report.latestCheckpointSize.map { .number(Double($0)) } ?? .null,
                "firstBadSeq": report.firstBadSeq.map { .number(Double($0)) } ?? .null,
                "problems": .array(report.problems.map(Self.json)),
                "notices": .array(report.notices.map(Self.json)),
            ]))
        } else {
            for n in report.notices { print("NOTE \(n)") }
            if report.ok {
                print("ok: \(report.size) entries, root \(report.root.prefixed), \(report.checkpointsChecked) checkpoints verified")
            } else {
                for p in report.problems { print("FAIL \(p)") }
            }
        }
        guard report.ok else {
            let first = report.problems[0]
            // A wrong clock is not tampering: the entries are intact and only their times lie.
            let onlyClock = report.problems.allSatisfy { $0.kind == .suspiciousTime }
            throw CLIFailure("ledger verification failed: \(first)",
                             hint: onlyClock
                                ? "the entries are intact but dated by a clock that was ahead; fix the clock, then an admin records a clock correction naming seq \(first.seq.map(String.init) ?? "?") (Docs/ledger-format.md)"
                                : "treat entries from seq \(report.firstBadSeq.map(String.init) ?? "?") on as untrusted; restore from a verified backup and investigate",
                             code: .verificationFailed)
        }
    }

    private static func json(_ p: LedgerProblem) -> JSONValue {
        .object(["kind": .string(p.kind.rawValue), "message": .string(p.message),
                 "seq": p.seq.map { .number(Double($0)) } ?? .null,
                 "checkpointSize": p.checkpointSize.map { .number(Double($0)) } ?? .null])
    }
}

/// Entries the verify scan hands over for the records replay.
private final class EntryCollector {
    var entries: [Entry] = []
}
