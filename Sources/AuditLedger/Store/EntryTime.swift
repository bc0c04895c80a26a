import AuditCore
import Foundation

/// Entry times as milliseconds since the epoch, read from the one form auditctl writes
/// (`YYYY-MM-DDTHH:MM:SS.mmmZ`, `UTCTime.format`). The writer compares times on every append
/// and `verify` on every entry, so this parses raw bytes without Foundation; anything not in
/// exactly that form is not an entry time (`verify` reports it as a malformed entry).
public enum EntryTime {
    /// The time form's length in bytes.
    static let length = 24

    public static func millis(_ text: String) -> Int64? {
        var t = text
        return t.withUTF8 { millis($0) }
    }

    public static func millis(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == length, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "."),
              b[23] == UInt8(ascii: "Z") else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64? {
            var v: Int64 = 0
            for i in from..<from + count {
                let d = b[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            return v
        }
        guard let y = number(0, 4), let m = number(5, 2), let d = number(8, 2), let hh = number(11, 2),
              let mm = number(14, 2), let ss = number(17, 2), let ms = number(20, 3),
              (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y), hh < 24, mm < 60, ss < 60 else { return nil }
        let days = daysFromCivil(y, m, d)
        return ((days * 24 + hh) * 60 + mm) * 60_000 + ss * 1000 + ms
    }

    public static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    public static func format(millis: Int64) -> String {
        UTCTime.format(Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    /// H. Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func daysIn(month m: Int64, year y: Int64) -> Int64 {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
