import AuditCore
import AuditTesting
import Foundation
import Testing

/// The ledger's clock rules, driven through the real binary under Debian's `faketime`
/// (LD_PRELOAD shifts the clock of that one process): a host clock behind the newest entry is
/// refused, a future-dated entry is named by `verify` without blaming later entries, and an
/// admin's `clock.corrected` entry recovers the ledger.
@Suite(.enabled(if: FakeTime.installed, "Debian's faketime is not installed (apt-get install faketime; `make deps` does it)"))
struct ClockCLITests {
    static let faketime = FakeTime.path

    /// A ledger with founders ada and bob and a policy in force whose passwords never age
    /// (a year-ahead clock would otherwise expire them); notes are appended as ada.
    struct Ledger {
        let t: TestRecords
        var env: [String: String] { ["AUDITCTL_DATA_DIR": t.home.directory, "AUDITCTL_LOG_KEY_FILE": t.keyFile] }
        var adaPassword: String { t.directory.file("ada.pw") }

        /// `auditctl ARGS`, with the clock shifted by `offset` (libfaketime syntax, e.g. "+365d").
        @discardableResult
        func run(_ args: [String], clock offset: String? = nil) throws -> CommandResult {
            if let offset {
                return try CommandRunner.run(ClockCLITests.faketime, ["-f", offset, CommandRunner.auditctlPath] + args, environment: env)
            }
            return try CommandRunner.run(CommandRunner.auditctlPath, args, environment: env)
        }

        /// A note appended as the authenticated admin ada.
        func append(clock offset: String? = nil, payload: String = "{}") throws -> CommandResult {
            try run(["append", "--kind", EntryKind.noteAdded, "--payload", payload, "--user", "ada", "--password-file", adaPassword, "--json"],
                    clock: offset)
        }

        /// `auditctl clock correct` by ada (an admin-signed clock.corrected entry).
        func correct(_ seq: Int, reason: String) throws -> CommandResult {
            try run(["clock", "correct", "--seq", String(seq), "--admin", "ada", "--admin-password-file", adaPassword, "--reason", reason,
                     "--json"])
        }

        func verify() throws -> (CommandResult, JSONValue) {
            let r = try run(["verify", "--json"])
            return (r, (try? JSONValue.parse(r.stdout)) ?? .null)
        }

        func size() throws -> Int { try t.store.size() }
    }

    func ledger() async throws -> Ledger {
        let t = try await TestRecords.make(people: [], security: ["passwordMaxAgeDays": "0"])
        try TestCast.password("ada").write(toFile: t.directory.file("ada.pw"), atomically: true, encoding: .utf8)
        return Ledger(t: t)
    }

    static func findings(_ report: JSONValue, _ key: String) -> [(kind: String, seq: Int?)] {
        (report[key]?.arrayValue ?? []).map { ($0["kind"]?.stringValue ?? "", $0["seq"]?.int64Value.map(Int.init)) }
    }

    @Test func fakeClockReachesTheBinary() async throws {
        let l = try await ledger()
        let r = try l.append(clock: "+365d")
        #expect(r.status == 0, "\(r)")
        let time = try #require(JSONValue.parse(r.stdout)["time"]?.stringValue)
        let date = try #require(UTCTime.parse(time))
        #expect(date.timeIntervalSinceNow > 360 * 86_400, "faketime did not shift the clock: \(time)")
    }

    @Test func hostClockBehindByMoreThanTheToleranceIsRefused() async throws {
        let l = try await ledger()
        let before = try l.size()
        let r = try l.append(clock: "-1d")
        #expect(r.status == 9, "\(r)")
        #expect(r.stderr.contains("error: the host clock") && r.stderr.contains("is behind the ledger's newest entry (seq \(before - 1)"), "\(r.stderr)")
        #expect(r.stderr.contains("hint: nothing was written; fix this host's clock"), "\(r.stderr)")
        #expect(try l.size() == before, "nothing may be written")
    }

    @Test func hostClockBehindWithinTheToleranceKeepsTimeMonotonic() async throws {
        let l = try await ledger()
        let last = try l.t.store.entry(seq: try l.size() - 1).time
        let r = try l.append(clock: "-120")
        #expect(r.status == 0, "\(r)")
        #expect(try JSONValue.parse(r.stdout)["time"]?.stringValue == last, "within the tolerance the entry gets the newest entry's time")
    }

    @Test func futureDatedEntryIsNamedAndACorrectionRecovers() async throws {
        let l = try await ledger()
        // One append while the host clock is a year ahead.
        let ahead = try l.append(clock: "+365d")
        #expect(ahead.status == 0, "\(ahead)")
        let bad = try l.size() - 1

        // Later appends on a correct clock are refused, not frozen at the future date.
        let refused = try l.append()
        #expect(refused.status == 9, "\(refused)")
        #expect(refused.stderr.contains("seq \(bad)"), "\(refused.stderr)")

        // verify names that entry and only that one.
        var (r, report) = try l.verify()
        #expect(r.status == 1, "\(r)")
        let problems = Self.findings(report, "problems")
        #expect(problems.map(\.kind) == ["suspicious-time"], "\(r.stdout)")
        #expect(problems.first?.seq == bad)
        #expect(r.stderr.contains("hint: the entries are intact but dated by a clock that was ahead"), "\(r.stderr)")

        // An admin records the correction (signed by ada); it gets the real time and is the new floor.
        let fix = try l.correct(bad, reason: "NTP server misconfigured; clock was a year ahead")
        #expect(fix.status == 0, "\(fix)")
        let correction = try JSONValue.parse(fix.stdout)
        #expect(correction["kind"] == "clock.corrected" && correction["actor"] == "ada")
        #expect(correction["payload"]?["authority"]?.arrayValue?.count == 1)
        let after = try l.append()
        #expect(after.status == 0, "\(after)")
        let afterText = try #require(JSONValue.parse(after.stdout)["time"]?.stringValue)
        let afterTime = try #require(UTCTime.parse(afterText))
        #expect(abs(afterTime.timeIntervalSinceNow) < 300, "later entries carry the real time")

        (r, report) = try l.verify()
        #expect(r.status == 0, "\(r)")
        #expect(Self.findings(report, "problems").isEmpty)
        let notices = Self.findings(report, "notices")
        #expect(notices.count == 1 && notices.first?.kind == "suspicious-time" && notices.first?.seq == bad, "\(r.stdout)")
        let text = try l.run(["verify"])
        #expect(text.status == 0 && text.stdout.contains("NOTE seq \(bad):") && text.stdout.contains("clock correction at seq \(bad + 1)"), "\(text)")
    }

    @Test func correctionMustNameAFutureDatedEntryAndAReason() async throws {
        let l = try await ledger()
        let size = try l.size()
        let beyond = try l.correct(size + 5, reason: "typo")
        #expect(beyond.status == 4, "\(beyond)")
        #expect(beyond.stderr.contains("error: no entry '\(size + 5)'"), "\(beyond.stderr)")
        let notAhead = try l.correct(1, reason: "nothing wrong")
        #expect(notAhead.status == 9, "\(notAhead)")
        #expect(notAhead.stderr.contains("not more than 300 s ahead of this host's clock; nothing to correct"), "\(notAhead.stderr)")
        let noReason = try l.correct(1, reason: "")
        #expect(noReason.status == 3 && noReason.stderr.contains("reason: must not be empty"), "\(noReason)")
        // Only an admin corrects the clock, and clock.corrected cannot be typed in by hand.
        let typed = try l.run(["append", "--kind", EntryKind.clockCorrected, "--payload", #"{"seq":1,"reason":"x"}"#,
                               "--user", "ada", "--password-file", l.adaPassword])
        #expect(typed.status == 3 && typed.stderr.contains("'clock.corrected' cannot be appended by hand"), "\(typed)")
        #expect(try l.size() == size)
    }
}

/// Where Debian's `faketime` wrapper lives.
enum FakeTime {
    static let path = "/usr/bin/faketime"
    static var installed: Bool { FileManager.default.isExecutableFile(atPath: path) }
}
