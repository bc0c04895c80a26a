import AuditCore
import AuditCrypto
import AuditLedger
import AuditTesting
import Foundation
import Testing

@Suite struct LedgerStoreTests {
    @Test func appendsChainAndHashEntries() async throws {
        let t = try await TestLedger.make(entries: 10)
        let store = t.store
        #expect(try store.size() == 11) // ledger.created + 10
        var prev = Digest.zero
        for e in try store.entries() {
            #expect(e.prev == prev)
            let h = MerkleHash.leaf(e.canonicalBytes)
            #expect(try store.leafHash(seq: e.seq) == h)
            prev = h
        }
    }

    @Test func storedPayloadIsTheCanonicalForm() async throws {
        let t = try await TestLedger.make()
        let e = try await t.store.append(EntryDraft(kind: EntryKind.noteAdded, actor: "alice",
                                                    payload: .object(["b": .number(1e21), "a": .string("é\u{1}")])))
        let row = try CommandRunner.sqlite(t.home.ledgerPath, "SELECT payload FROM entries WHERE seq = \(e.seq)")
        #expect(row.stdout == #"{"a":"é\u0001","b":1e+21}"# + "\n")
    }

    @Test func proofsVerifyAgainstSignedCheckpoints() async throws {
        let t = try await TestLedger.make(entries: 40)
        let size = try t.store.size()
        let cp = try #require(try t.store.latestCheckpoint())
        #expect(cp.size == size)
        let body = try NoteCheckpointVerifier(key: t.home.verifierKey()).open(note: cp.note)
        for seq in [0, 1, 17, size - 1] {
            let p = try t.store.inclusionProof(seq: seq)
            #expect(p.root == body.root)
            try MerkleVerifier.verifyInclusion(leafHash: p.leafHash, index: seq, size: size, proof: p.path, root: body.root)
        }
        for old in [1, 5, 16, size] {
            let c = try t.store.consistencyProof(from: old)
            try MerkleVerifier.verifyConsistency(oldSize: old, newSize: size, oldRoot: c.fromRoot, newRoot: body.root, proof: c.path)
        }
    }

    @Test func everyBatchIsCoveredByACheckpoint() async throws {
        let t = try await TestLedger.make(entries: 5)
        let sizes = try t.store.checkpoints().map(\.size)
        #expect(sizes == [1, 2, 3, 4, 5, 6])
        let report = try t.verifier.verify()
        #expect(report.ok, "\(report.problems)")
    }

    @Test func concurrentAppendersShareCommitsAndLoseNothing() async throws {
        let t = try await TestLedger.make()
        let store = t.store
        let seqs = try await withThrowingTaskGroup(of: [Int].self) { group in
            for w in 0..<16 {
                group.addTask {
                    var mine: [Int] = []
                    for i in 0..<25 {
                        let e = try await store.append(EntryDraft(kind: EntryKind.noteAdded, actor: "w\(w)",
                                                                  payload: .object(["i": .number(Double(i))])))
                        mine.append(e.seq)
                    }
                    return mine
                }
            }
            var all: [Int] = []
            for try await s in group { all += s }
            return all
        }
        #expect(Set(seqs).count == 400)
        #expect(try store.size() == 401)
        // Group commit: fewer checkpoints (one per transaction) than appends.
        #expect(try store.checkpoints().count < 401)
        #expect(try t.verifier.verify().ok)
    }

    @Test func atomicMultiEntryAppendIsContiguous() async throws {
        let t = try await TestLedger.make()
        let drafts = (0..<5).map { TestLedger.sampleDraft($0) }
        let written = try await t.store.append(drafts)
        #expect(written.map(\.seq) == [1, 2, 3, 4, 5])
    }

    @Test func filtersEntries() async throws {
        let t = try await TestLedger.make(entries: 12)
        #expect(try t.store.entries(EntryFilter(kind: EntryKind.noteAdded)).count == 4)
        #expect(try t.store.entries(EntryFilter(actor: "bob", limit: 2)).map(\.seq) == [2, 4])
        #expect(try t.store.entries(EntryFilter(fromSeq: 10)).map(\.seq) == [10, 11, 12])
    }

    @Test func reopenedLedgerKeepsItsTail() async throws {
        let t = try await TestLedger.make(entries: 3)
        let reopened = try t.home.open(keySource: .signerKey(String(contentsOfFile: t.keyFile, encoding: .utf8)))
        let e = try await reopened.append(TestLedger.sampleDraft(99))
        #expect(e.seq == 4)
        #expect(e.prev == (try t.store.leafHash(seq: 3)))
    }
}

@Suite struct DurabilitySettingTests {
    /// GRDB resets WAL pools to synchronous=NORMAL; an acknowledged append must survive
    /// power loss, so the writer must really run with FULL unless asked otherwise.
    @Test func writerRunsWithSynchronousFull() async throws {
        let t = try await TestLedger.make(synchronous: .full)
        #expect(try t.store.writerSynchronousLevel() == 2)
        let reopened = try t.home.open()
        #expect(try reopened.writerSynchronousLevel() == 2)
    }
}

@Suite struct MultiProcessTests {
    /// Another process appending (the CLI next to a running service) must be seen by a
    /// long-lived store. Regression: a header check through a plain file descriptor dropped
    /// this process's POSIX locks on the file, and the store stopped seeing new commits.
    @Test func appendsFromAnotherProcessAreVisible() async throws {
        let t = try await TestLedger.make()
        let password = t.directory.file("ada.pw")
        try TestCast.password("ada").write(toFile: password, atomically: true, encoding: .utf8)
        for expected in 2...4 {
            let r = try CommandRunner.auditctl(["append", "--kind", "note.added", "--user", "ada", "--password-file", password,
                                                "--log-key-file", t.keyFile], dataDir: t.home.directory)
            #expect(r.status == 0, "\(r)")
            #expect(try t.store.size() == expected)
        }
        let e = try await t.store.append(TestLedger.sampleDraft(1))
        #expect(e.seq == 4)
        #expect(try t.verifier.verify().ok)
    }

    @Test func emptyFileIsNotALedgerAndStaysEmpty() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("ledger.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(throws: LedgerError.notALedger(path: path, reason: "it has no auditctl metadata")) {
            try LedgerStore.open(at: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
    }
}

@Suite struct CheckpointIntervalTests {
    /// With an interval, a busy writer signs at most that often, and an idle one signs the
    /// remaining tail once the interval has passed, so every entry ends up covered.
    @Test func idleWriterCoversTheTail() async throws {
        let t = try await TestLedger.make()
        let key = try String(contentsOfFile: t.keyFile, encoding: .utf8)
        // 2 s: long enough that 20 appends on a machine loaded by the parallel suite (the
        // multi-process test runs 8 appenders beside it) still come faster than one per interval.
        let store = try t.home.open(keySource: .signerKey(key), synchronous: .normal, checkpointInterval: 2)
        let before = try store.checkpoints().count
        for i in 0..<20 { try await store.append(TestLedger.sampleDraft(i)) }
        let during = try store.checkpoints().count - before
        #expect(during < 20)
        var covered = false
        for _ in 0..<160 where !covered {
            try await Task.sleep(nanoseconds: 50_000_000)
            covered = try store.latestCheckpoint()?.size == store.size()
        }
        #expect(covered)
        #expect(try t.verifier.verify().ok)
    }
}

@Suite struct BlockingAppendTests {
    /// Blocking and async appenders mixed: every append lands once, contiguous, verified.
    @Test func blockingAndAsyncAppendersShareTheWriter() async throws {
        let t = try await TestLedger.make()
        let store = t.store
        let blocking = Thread.detachNewThreadAndCollect(count: 4) { w in
            (0..<25).map { i in (try? store.appendSynchronously([TestLedger.sampleDraft(w * 100 + i)]))?.first?.seq ?? -1 }
        }
        let asyncSeqs = try await withThrowingTaskGroup(of: [Int].self) { group in
            for w in 0..<4 {
                group.addTask { var s: [Int] = []; for i in 0..<25 { s.append(try await store.append(TestLedger.sampleDraft(w * 10 + i)).seq) }; return s }
            }
            var all: [Int] = []
            for try await s in group { all += s }
            return all
        }
        let all = blocking.wait() + asyncSeqs
        #expect(!all.contains(-1))
        #expect(Set(all).count == 200)
        #expect(try store.size() == 201)
        #expect(try t.verifier.verify().ok)
    }

    @Test func blockingAppendValidatesLikeAsync() async throws {
        let t = try await TestLedger.make()
        #expect(throws: LedgerError.self) {
            try t.store.appendSynchronously([EntryDraft(kind: "no.such.kind", actor: "a")])
        }
        #expect(try t.store.size() == 1)
    }
}

extension Thread {
    static func detachNewThreadAndCollect(count: Int, _ body: @escaping @Sendable (Int) -> [Int]) -> CollectedSeqs {
        let c = CollectedSeqs()
        for w in 0..<count {
            c.group.enter()
            Thread.detachNewThread { c.add(body(w)) }
        }
        return c
    }
}

final class CollectedSeqs: @unchecked Sendable {
    let group = DispatchGroup()
    private let lock = NSLock()
    private var seqs: [Int] = []
    func add(_ s: [Int]) { lock.lock(); seqs += s; lock.unlock(); group.leave() }
    func wait() -> [Int] { group.wait(); lock.lock(); defer { lock.unlock() }; return seqs }
}
