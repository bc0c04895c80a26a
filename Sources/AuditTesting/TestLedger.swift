import AuditCore
import AuditCrypto
import AuditLedger
import AuditRecords
import Foundation

/// A real on-disk ledger for tests: log key in a plain key file (no Argon2 cost), fast to make.
/// Its `ledger.created` binds the founding admins ada and bob (`TestCast.founders`, cheap
/// Argon2), as every ledger now does, so `auditctl verify` replays it cleanly; the sample
/// entries are free-form kinds the records replay does not judge.
public struct TestLedger: Sendable {
    public let directory: TemporaryDirectory
    public let home: LedgerHome
    public let keyFile: String
    public let store: LedgerStore

    public static func make(origin: String = "test.example/ledger", entries: Int = 0,
                            synchronous: LedgerStore.Synchronous = .normal) async throws -> TestLedger {
        let dir = TemporaryDirectory("ledger")
        let home = LedgerHome(directory: dir.file("data"))
        let keyFile = dir.file("log.key")
        _ = try await Genesis.create(home: home, origin: origin, protection: .plainKeyFile(path: keyFile),
                                     founders: TestCast.founders.map {
                                         Genesis.Founder(id: $0.id, printedName: $0.name, password: TestCast.password($0.id))
                                     },
                                     configuration: .testing, synchronous: synchronous)
        let store = try home.open(keySource: .signerKey(String(contentsOfFile: keyFile, encoding: .utf8)),
                                  synchronous: synchronous)
        for i in 0..<entries {
            try await store.append(TestLedger.sampleDraft(i))
        }
        return TestLedger(directory: dir, home: home, keyFile: keyFile, store: store)
    }

    /// Entries with varied, realistic payloads (escapes, unicode, numbers).
    public static func sampleDraft(_ i: Int) -> EntryDraft {
        EntryDraft(kind: i % 3 == 0 ? EntryKind.noteAdded : EntryKind.checkpointRequested,
                   actor: i % 2 == 0 ? "alice" : "bob",
                   subject: "chg-\(i / 3)",
                   payload: .object([
                       "n": .number(Double(i)),
                       "reason": .string("retrain #\(i) \"quoted\" — naïve\tweights"),
                       "score": .number(0.1 * Double(i)),
                       "tags": .array([.string("line-3"), .bool(i % 2 == 0), .null]),
                   ]))
    }

    public var verifier: LedgerVerifier {
        get throws {
            LedgerVerifier(store: store, noteVerifier: NoteCheckpointVerifier(key: try home.verifierKey()))
        }
    }
}
