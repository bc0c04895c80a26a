import AuditCore
import Foundation
import Testing

/// `UTCTime.parse` and `format` use one calendar. Regression for the trust-root fuzz
/// finding (Tests/Fuzz/trust-root/regressions/julian-calendar-notBefore-1013.json): a
/// `notBefore` of 1013-12-01 parsed in Foundation's Julian-before-1582 calendar and was
/// written back as 1013-12-07, so a trust root did not survive its own round trip.
@Suite struct UTCTimeTests {
    @Test(arguments: ["1013-12-01T13:52:47.022Z", "0001-01-01T00:00:00.000Z", "1582-10-10T00:00:00.000Z",
                      "1970-01-01T00:00:00.000Z", "2000-02-29T23:59:59.999Z", "2026-12-01T13:52:45.558Z",
                      "9999-12-31T23:59:59.999Z"])
    func formatOfParseIsTheSameText(text: String) throws {
        let date = try #require(UTCTime.parse(text))
        #expect(UTCTime.format(date) == text)
    }

    @Test func agreesWithFoundationFromTheGregorianEraOn() throws {
        // The parser this replaces: Foundation, with and without fractional seconds.
        func foundation(_ text: String) -> Date? {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let d = f.date(from: text) { return d }
            f.formatOptions = [.withInternetDateTime]
            return f.date(from: text)
        }
        for text in ["2026-03-01T09:00:00.000Z", "1999-12-31T23:59:59.500Z", "2026-03-01T10:30:00+01:30",
                     "2026-03-01T08:00:00.250-01:00", "2026-03-01T09:00:00Z"] {
            let ours = try #require(UTCTime.parse(text), "\(text)")
            let theirs = try #require(foundation(text), "\(text)")
            #expect(abs(ours.timeIntervalSince(theirs)) < 0.0005, "\(text)")
        }
    }

    @Test(arguments: ["", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
                      "2026-01-01 00:00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00Zjunk",
                      "2025-02-29T00:00:00Z", "2026-01-01T00:00:00+1:00", "２026-01-01T00:00:00Z"])
    func refusesWhatIsNotRFC3339(text: String) {
        #expect(UTCTime.parse(text) == nil)
    }
}
