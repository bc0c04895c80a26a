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

    struct Ledger {
        let t: TestLedger
        var env: [String: String] { ["AUDITCTL_DATA_DIR": t.home.directory, "AUDITCTL_LOG_KEY_FILE": t.keyFile] }

        /// `auditctl ARGS`, with the clock shifted by `offset` (libfaketime syntax, e.g. "+365d").
        @discardableResult
        func run(_ args: [String], clock offset: String? = nil) throws -> CommandResult {
            if let offset {
                return try CommandRunner.run(ClockCLITests.faketime, ["-f", offset, CommandRunner.auditctlPath] + args, environment: env)
            }
            return try CommandRunner.run(CommandRunner.auditctlPath, args, environment: env)
        }

        func append(clock offset: String? = nil, kind: String = EntryKind.noteAdded, payload: String = "{}") throws -> CommandResult {
            try run(["append", "--kind", kind, "--actor", "op", "--payload", payload, "--json"], clock: offset)
        }

        func verify() throws -> (CommandResult, JSONValue) {
            let r = try run(["verify", "--json"])
            return (r, (try? JSONValue.parse(r.stdout)) ?? .null)
        }

        func size() throws -> Int { try t.store.size() }
    }

    func ledger() async throws -> Ledger {
        Ledger(t: try await TestLedger.make(entries: 3))
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

        // An admin records the correction; it gets the real time and is the new floor.
        let fix = try l.append(kind: EntryKind.clockCorrected, payload: #"{"seq":\#(bad),"reason":"NTP server misconfigured; clock was a year ahead"}"#)
        #expect(fix.status == 0, "\(fix)")
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

    @Test func correctionMustNameAnEarlierEntry() async throws {
        let l = try await ledger()
        let size = try l.size()
        let r = try l.append(kind: EntryKind.clockCorrected, payload: #"{"seq":\#(size + 5),"reason":"typo"}"#)
        #expect(r.status == 3, "\(r)")
        #expect(r.stderr.contains("payload.seq"), "\(r.stderr)")
        let noReason = try l.append(kind: EntryKind.clockCorrected, payload: #"{"seq":1}"#)
        #expect(noReason.status == 3 && noReason.stderr.contains("payload.reason"), "\(noReason)")
        #expect(try l.size() == size)
    }
}

/// Where Debian's `faketime` wrapper lives.
enum FakeTime {
    static let path = "/usr/bin/faketime"
    static var installed: Bool { FileManager.default.isExecutableFile(atPath: path) }
}
