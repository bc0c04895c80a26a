import AuditCore
import AuditLedger
import AuditTesting
import Foundation
import GRDB
import Testing

/// Opening a ledger must not need the write lock (it used to run the migrator, which writes,
/// on every open: with several processes, one of the causes of "database is locked"), and a
/// writer waiting for the lock must wait, then append, never fail while within its timeout.
@Suite struct OpenWithoutWritingTests {
    @Test func openAndReadWhileAnotherProcessHoldsTheWriteLock() async throws {
        let t = try await TestLedger.make(entries: 3)
        var config = Configuration()
        config.busyMode = .timeout(1)
        config.allowsUnsafeTransactions = true // the holder keeps its transaction open on purpose
        let holder = try DatabaseQueue(path: t.home.ledgerPath, configuration: config)
        try await holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }

        var options = LedgerStore.Options()
        options.busyTimeout = 0.3
        let store = try LedgerStore.open(at: t.home.ledgerPath, options: options)
        #expect(try store.size() == 4)
        #expect(try store.entries().count == 4)
        // The append cannot get the lock within 0.3 s: a storage error, nothing written.
        #expect(throws: LedgerError.self) {
            try store.appendSynchronously([EntryDraft(kind: EntryKind.noteAdded, actor: "op")])
        }
        try await holder.writeWithoutTransaction { try $0.execute(sql: "COMMIT") }
        #expect(try store.appendSynchronously([EntryDraft(kind: EntryKind.noteAdded, actor: "op")])[0].seq == 4)
        try holder.close()
    }

    @Test func writerWaitsForALockReleasedWithinTheTimeout() async throws {
        let t = try await TestLedger.make(entries: 3)
        var config = Configuration()
        config.allowsUnsafeTransactions = true // the holder keeps its transaction open on purpose
        let holder = try DatabaseQueue(path: t.home.ledgerPath, configuration: config)
        try await holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        // Released from a plain thread: the test's cooperative threads may be busy with
        // other suites, and the point is the writer's wait, not the scheduler's.
        let released = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            usleep(300_000)
            try? holder.writeWithoutTransaction { try $0.execute(sql: "COMMIT") }
            released.signal()
        }
        let started = Date()
        let e = try t.store.appendSynchronously([EntryDraft(kind: EntryKind.noteAdded, actor: "op")])[0]
        #expect(e.seq == 4)
        #expect(Date().timeIntervalSince(started) >= 0.25, "the append should have waited for the lock")
        released.wait()
    }

    @Test func readOnlyStoreRefusesAppends() async throws {
        let t = try await TestLedger.make(entries: 1)
        let store = try t.home.open(readOnly: true)
        #expect(store.access == .readOnly)
        #expect(throws: LedgerError.readOnly(path: t.home.ledgerPath)) {
            try store.appendSynchronously([EntryDraft(kind: EntryKind.noteAdded, actor: "op")])
        }
    }
}
