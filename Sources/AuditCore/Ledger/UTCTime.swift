import Foundation

/// RFC 3339 UTC timestamps with milliseconds and a `Z`, the only time form auditctl writes.
public enum UTCTime {
    public static func format(_ date: Date) -> String {
        let ms = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let whole = Date(timeIntervalSince1970: (ms / 1000).rounded(.down))
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        let millis = Int(ms - (ms / 1000).rounded(.down) * 1000)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, millis)
    }

    /// Parses RFC 3339 with a `Z` or numeric offset, optional fractional seconds.
    public static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }

    public static func now() -> String { format(Date()) }
}
