import AuditCore
import AuditLedger
import AuditTesting
import Foundation
import Testing

/// SIGKILLs a process appending from 8 concurrent writers at random moments: every append
/// it acknowledged must be in the ledger afterwards, and the ledger must verify.
@Suite(.serialized) struct CrashDurabilityTests {
    static var appenderPath: String {
        URL(fileURLWithPath: CommandRunner.auditctlPath).deletingLastPathComponent()
            .appendingPathComponent("LedgerStressAppender").path
    }

    @Test func acknowledgedAppendsSurviveSIGKILL() async throws {
        var generator = SystemRandomNumberGenerator()
        var totalAcked = 0
        for round in 0..<20 {
            let t = try await TestLedger.make(synchronous: .full)
            let key = try String(contentsOfFile: t.keyFile, encoding: .utf8)
            let out = try PipeCollector()
            let process = try SpawnedProcess(Self.appenderPath, [t.home.directory, "8", "1000000"],
                                             environment: ["AUDITCTL_LOG_KEY": key], stdout: out.stream, stderr: .null)
            out.childStarted()
            // Wait until it is appending, then kill it at a random moment.
            let deadline = Date().addingTimeInterval(20)
            while !out.text.contains("ack "), Date() < deadline { usleep(2000) }
            usleep(UInt32.random(in: 5_000...250_000, using: &generator))
            process.signal(SIGKILL)
            process.wait()
            let printed = out.waitForEnd()
            #expect(process.endingSignal == SIGKILL, "round \(round): appender exited on its own")

            // Only complete lines count: a line cut by the kill was never fully acknowledged.
            let lines = printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            let acks = lines.filter { $0.hasPrefix("ack ") }.map { $0.split(separator: " ") }
            #expect(!acks.isEmpty, "round \(round): nothing acknowledged before the kill")
            totalAcked += acks.count

            let reopened = try t.home.open(readOnly: true)
            for a in acks {
                let seq = try #require(Int(a[1]))
                #expect(try reopened.leafHash(seq: seq).hex == String(a[2]), "round \(round): acknowledged seq \(seq) lost or changed")
            }
            let report = try LedgerVerifier(store: reopened, noteVerifier: NoteCheckpointVerifier(key: t.home.verifierKey())).verify()
            #expect(report.ok, "round \(round): \(report.problems)")
        }
        #expect(totalAcked >= 20)
    }
}
