@testable import AuditLedger
import AuditCore
import Foundation
import Testing

/// The clock rules as pure functions: entry-time parsing, the writer's time decision and
/// which entries `verify` calls suspicious.
@Suite struct ClockAuditTests {
    let day: Int64 = 86_400_000

    @Test func entryTimeRoundTripsWithUTCTime() {
        for seconds in [0.0, 951_782_400.5, 1_764_547_200.123, 4_102_444_799.999] {
            let text = UTCTime.format(Date(timeIntervalSince1970: seconds))
            #expect(EntryTime.millis(text) == Int64((seconds * 1000).rounded()), "\(text)")
            #expect(EntryTime.format(millis: EntryTime.millis(text)!) == text)
        }
    }

    @Test(arguments: ["2026-11-26T16:14:10Z", "2026-11-26T16:14:10.529+00:00", "2026-02-30T00:00:00.000Z",
                      "2026-11-26 16:14:10.529Z", "2026-13-01T00:00:00.000Z", "２026-11-26T16:14:10.529Z", ""])
    func entryTimeRefusesOtherForms(_ text: String) {
        #expect(EntryTime.millis(text) == nil)
    }

    func tail(_ millis: Int64) -> ChainTail {
        ChainTail(size: 5, hash: .zero, lastTime: EntryTime.format(millis: millis), lastMillis: millis)
    }

    @Test func writerTimeFollowsTheRules() throws {
        let now = Date()
        let nowMs = EntryTime.millis(now)
        // Ahead of the newest entry: host time.
        #expect(try EntryClock.time(isCorrection: false, now: now, tail: tail(nowMs - 1000), tolerance: 300).millis == nowMs)
        // Behind within the tolerance: the newest entry's time.
        #expect(try EntryClock.time(isCorrection: false, now: now, tail: tail(nowMs + 299_000), tolerance: 300).millis == nowMs + 299_000)
        // Behind beyond it: refused, naming the newest entry.
        #expect {
            try EntryClock.time(isCorrection: false, now: now, tail: tail(nowMs + 301_000), tolerance: 300)
        } throws: { error in
            guard case .clockBehind(_, _, let seq, let tolerance) = error as? LedgerError else { return false }
            return seq == 4 && tolerance == 300
        }
        // A correction gets the host time however far behind.
        #expect(try EntryClock.time(isCorrection: true, now: now, tail: tail(nowMs + 365 * day), tolerance: 300).millis == nowMs)
    }

    @Test func onlyTheFutureDatedRunIsNamed() {
        let base: Int64 = 1_764_547_200_000
        // 0..2 fine, 3..4 a year ahead, 5 the correction (real time), 6..7 fine.
        let times = [base, base + 1000, base + 2000, base + 365 * day, base + 365 * day + 5, base + 3000, base + 4000, base + 5000]
        let uncorrected = ClockAudit.findings(times: times, corrections: [], tolerance: 300, now: base + 10_000)
        #expect(uncorrected.problems.map(\.seq) == [3])
        #expect(uncorrected.problems.first?.message.contains("entries 3..4 are dated") == true)
        #expect(uncorrected.notices.isEmpty)

        let corrected = ClockAudit.findings(times: times, corrections: [.init(at: 5, from: 3)], tolerance: 300, now: base + 10_000)
        #expect(corrected.problems.isEmpty)
        #expect(corrected.notices.map(\.seq) == [3])

        // A correction naming only the second of them leaves the first a problem.
        let partial = ClockAudit.findings(times: times, corrections: [.init(at: 5, from: 4)], tolerance: 300, now: base + 10_000)
        #expect(partial.problems.map(\.seq) == [3])
        #expect(partial.notices.map(\.seq) == [4])
    }

    @Test func aFutureDatedTailIsNamedAgainstTheVerifiersClock() {
        let base: Int64 = 1_764_547_200_000
        let findings = ClockAudit.findings(times: [base, base + 1000, base + 365 * day], corrections: [], tolerance: 300, now: base + 2000)
        #expect(findings.problems.map(\.seq) == [2])
        #expect(findings.problems.first?.message.contains("this verifier's clock") == true)
        // Within the tolerance nothing is said.
        let fine = ClockAudit.findings(times: [base, base + 200_000], corrections: [], tolerance: 300, now: base)
        #expect(fine.problems.isEmpty && fine.notices.isEmpty)
    }
}
