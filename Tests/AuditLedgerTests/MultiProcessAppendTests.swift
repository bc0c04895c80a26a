import AuditCore
import AuditLedger
import AuditTesting
import Foundation
import Testing

/// Issue 8: eight processes appending at once, each opening the ledger afresh for every
/// append as separate `auditctl append` runs do, while `auditctl verify` loops beside them.
/// Nothing may fail ("database is locked"), nothing may be lost, and verify must never raise
/// a false alarm (a truncation seen because its reads straddled a commit).
@Suite(.serialized) struct MultiProcessAppendTests {
    static let processes = 8
    static let perProcess = 500

    @Test func eightProcessesAppendWhileVerifyLoops() async throws {
        let t = try await TestLedger.make(synchronous: .full)
        let key = try String(contentsOfFile: t.keyFile, encoding: .utf8)
        let start = try t.store.size()
        var runs: [(SpawnedProcess, PipeCollector)] = []
        for _ in 0..<Self.processes {
            let out = try PipeCollector()
            let p = try SpawnedProcess(CrashDurabilityTests.appenderPath, ["--reopen", t.home.directory, String(Self.perProcess)],
                                       environment: ["AUDITCTL_LOG_KEY": key], stdout: out.stream, stderr: .null)
            out.childStarted()
            runs.append((p, out))
        }

        // verify in a loop, each run a fresh process on a snapshot of a moving ledger.
        var verifyRuns = 0
        var falseAlarms: [String] = []
        while runs.contains(where: { $0.0.isRunning }) {
            let r = try CommandRunner.auditctl(["verify", "--json"], dataDir: t.home.directory)
            verifyRuns += 1
            if r.status != 0 { falseAlarms.append("\(r)") }
        }
        var acks: [(seq: Int, hash: String)] = []
        var failures: [String] = []
        for (p, out) in runs {
            let status = p.wait()
            #expect(status == 0)
            for line in out.waitForEnd().split(separator: "\n") {
                if line.hasPrefix("ack ") {
                    let f = line.split(separator: " ")
                    acks.append((Int(f[1]) ?? -1, String(f[2])))
                } else if line.hasPrefix("error ") {
                    failures.append(String(line))
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) appends failed, e.g. \(failures.prefix(3))")
        #expect(acks.count == Self.processes * Self.perProcess)
        #expect(verifyRuns >= 3, "verify should have run beside the appenders")
        #expect(falseAlarms.isEmpty, "\(falseAlarms.count) of \(verifyRuns) verify runs failed, e.g. \(falseAlarms.first ?? "")")

        // Nothing lost: every acknowledged seq holds the acknowledged hash, and the ledger is
        // exactly the entries before plus the acknowledged ones.
        let reopened = try t.home.open(readOnly: true)
        #expect(try reopened.size() == start + acks.count)
        #expect(Set(acks.map(\.seq)).count == acks.count, "two appends acknowledged the same seq")
        for a in acks {
            #expect(try reopened.leafHash(seq: a.seq).hex == a.hash, "acknowledged seq \(a.seq) lost or changed")
        }
        let final = try CommandRunner.auditctl(["verify"], dataDir: t.home.directory)
        #expect(final.status == 0, "\(final)")
    }
}
