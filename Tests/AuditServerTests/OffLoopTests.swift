import AuditCrypto
import AuditRecords
import Foundation
import Hummingbird
import Testing

/// Argon2id and the records lock run on the action threads, SQLite reads on the read
/// threads, never on the event loops or Swift's cooperative pool: while slow logins are in
/// flight, reads keep answering.
@Suite struct OffLoopTests {
    @Test func slowLoginsDoNotStallReads() async throws {
        let f = try await ServerFixture.make()
        // A person whose password verifier is deliberately expensive (t=6, 64 MiB).
        var slowConfig = RecordsConfiguration.testing
        slowConfig.passwordHashing = Argon2Parameters(opsLimit: 6, memLimit: 64 << 20)
        let slow = RecordsService(store: f.service.store, directory: f.dataDirectory, configuration: slowConfig)
        try await slow.addUser(NewUser(id: "slow", printedName: "Slow Login", roles: ["qa-reviewer"], initialPassword: "one-time-slow-pass"),
                               reason: "timing test", knownRoles: Set(f.policy.roles), by: ServerFixture.creds("ada"))
        let key = try await slow.rotateKey(Credentials(userID: "slow", password: "one-time-slow-pass"), newPassword: ServerFixture.password("slow"), reason: "own password")
        try await slow.confirmIdentity(of: "slow", keyID: String(key.keyID.hex.prefix(12)), evidence: "badge", by: ServerFixture.creds("bob"))
        try await f.live { client, _ in
            let ivy = try await client.login("ivy")
            let clock = ContinuousClock()
            let one = clock.now
            _ = try await client.login("slow")
            let singleLogin = clock.now - one
            let loginsStart = clock.now
            async let logins: Duration = {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<3 { group.addTask { _ = try await client.login("slow") } }
                    try await group.waitForAll()
                }
                return clock.now - loginsStart
            }()
            var reads: [Duration] = []
            var firstReadDone: Duration?
            try await Task.sleep(for: .milliseconds(20))
            for _ in 0..<20 {
                let t = clock.now
                let r = try await client.call(.get, "/api/v1/changes", auth: .bearer(ivy))
                #expect(r.status == 200)
                reads.append(clock.now - t)
                if firstReadDone == nil { firstReadDone = clock.now - loginsStart }
            }
            let readsDone = clock.now - loginsStart
            let loginsTook = try await logins
            let median = reads.sorted()[reads.count / 2]
            print("off-loop: one slow login \(singleLogin), three concurrent \(loginsTook); first read after \(firstReadDone ?? .zero), 20 reads done after \(readsDone), median read \(median)")
            // Structural, not a speed goal (a loaded CI machine slows everything alike): a
            // read answered while the logins were still running, and a typical read took less
            // than one Argon2id run, so no read queued behind one.
            #expect((firstReadDone ?? loginsTook) < loginsTook, "a read finished while the logins were still running")
            #expect(median < singleLogin, "reads do not wait for Argon2id runs")
        }
    }
}
