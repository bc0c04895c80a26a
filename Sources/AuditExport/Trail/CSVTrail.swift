/// `audit-trail.csv`: RFC 4180 (comma, CRLF line ends, fields with a comma, quote, CR or LF
/// quoted, quotes doubled), UTF-8 with a byte order mark so spreadsheet programs read the
/// names right instead of guessing a legacy code page. A cell that starts with `=`, `+`, `-`,
/// `@`, a tab or a CR would run as a formula in a spreadsheet (CSV injection), so it gets a
/// leading apostrophe; `ExportVerifier` expects exactly that when it compares with the JSONL.
public enum CSVTrail {
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    public static let header = ["seq", "time_utc", "kind", "actor", "subject", "summary", "old_value", "new_value", "entry_hash"]

    /// One record with its CRLF.
    public static func record(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",") + "\r\n"
    }

    /// A cell as written: formula-safe first, then quoted when RFC 4180 needs it. Works on
    /// UTF-8 bytes: this runs nine times per entry on exports of millions of entries.
    public static func field(_ value: String) -> String {
        var needsQuotes = false
        var hasQuote = false
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "\""): hasQuote = true; needsQuotes = true
            case UInt8(ascii: ","), 0x0D, 0x0A: needsQuotes = true
            default: break
            }
        }
        let guarded = isFormulaStart(value.utf8.first)
        if !needsQuotes { return guarded ? "'" + value : value }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(value.utf8.count + 4)
        if guarded { out.append(UInt8(ascii: "'")) }
        if hasQuote {
            for b in value.utf8 {
                out.append(b)
                if b == UInt8(ascii: "\"") { out.append(b) }
            }
        } else {
            out.append(contentsOf: value.utf8)
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// `=`, `+`, `-`, `@`, tab or CR: a spreadsheet would run the cell as a formula.
    static func isFormulaStart(_ b: UInt8?) -> Bool {
        guard let b else { return false }
        return b == UInt8(ascii: "=") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "@") || b == 0x09 || b == 0x0D
    }

    /// What `field` makes of a value once a spreadsheet (or `CSVReader`) unquotes it.
    public static func displayed(_ value: String) -> String {
        isFormulaStart(value.utf8.first) ? "'" + value : value
    }
}

/// Reads RFC 4180 records from a byte stream, one at a time (quoted fields may span lines).
struct CSVReader {
    private var lines: LineReader
    private(set) var recordNumber = 0
    private(set) var lineNumber = 0

    init(_ lines: LineReader) { self.lines = lines }

    /// The next record's fields, nil at the end; throws on a record that is not RFC 4180.
    mutating func next() throws(CSVFormatError) -> [String]? {
        guard var line = try readLine() else { return nil }
        if recordNumber == 0, line.starts(with: CSVTrail.byteOrderMark) { line.removeFirst(3) }
        recordNumber += 1
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var i = 0
        var atFieldStart = true
        while true {
            if i == line.count {
                if quoted {
                    // The quoted field goes on past this line: the line break is part of it.
                    guard let more = try readLine() else { throw .init(line: lineNumber, reason: "a quoted field is not closed") }
                    field += [0x0D, 0x0A]
                    line = more
                    i = 0
                    continue
                }
                fields.append(String(decoding: field, as: UTF8.self))
                return fields
            }
            let c = line[i]
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < line.count, line[i + 1] == UInt8(ascii: "\"") { field.append(c); i += 2; continue }
                    quoted = false
                    i += 1
                    guard i == line.count || line[i] == UInt8(ascii: ",") else {
                        throw .init(line: lineNumber, reason: "text after a closing quote")
                    }
                    continue
                }
                field.append(c)
            } else if c == UInt8(ascii: ",") {
                fields.append(String(decoding: field, as: UTF8.self))
                field = []
                atFieldStart = true
                i += 1
                continue
            } else if c == UInt8(ascii: "\"") {
                guard atFieldStart else { throw .init(line: lineNumber, reason: "a quote inside an unquoted field") }
                quoted = true
            } else {
                field.append(c)
            }
            atFieldStart = false
            i += 1
        }
    }

    /// One CRLF-terminated line without its CRLF.
    private mutating func readLine() throws(CSVFormatError) -> [UInt8]? {
        let raw: [UInt8]?
        do { raw = try lines.next() } catch { throw .init(line: lineNumber + 1, reason: "\(error)") }
        guard var line = raw else { return nil }
        lineNumber += 1
        guard line.last == 0x0D else { throw .init(line: lineNumber, reason: "line does not end in CRLF (RFC 4180)") }
        line.removeLast()
        return line
    }
}

struct CSVFormatError: Error, CustomStringConvertible {
    let line: Int
    let reason: String
    var description: String { "line \(line): \(reason)" }
}
