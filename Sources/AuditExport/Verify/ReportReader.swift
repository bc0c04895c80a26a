/// Reads back what report.html states, for the comparison with entries.jsonl: the cover
/// facts, the change statuses, the signature manifestations (all before the entries
/// table), then the table's rows one at a time. It knows the writer's markup
/// (`ReportHTML`): one element per line, fixed class names, escaped text.
final class ReportReader {
    struct Signature: Equatable {
        let seq: Int
        let verified: Bool
        let printedName: String
        let signerID: String
        let meaning: String
        let signedAt: String
        let comment: String
    }

    struct Row: Equatable {
        let cells: [String: String]
        let hash: String
    }

    private let lines: LineReader
    private(set) var cover: [String: String] = [:]
    private(set) var statuses: [String: String] = [:]
    private(set) var signatures: [Int: Signature] = [:]
    private(set) var duplicateSignatures: [Int] = []
    private(set) var foundTable = false

    init(_ lines: LineReader) { self.lines = lines }

    var lineNumber: Int { lines.lineNumber }

    /// Reads up to the entries table.
    func readHead() throws {
        while let raw = try lines.next() {
            let line = String(decoding: raw, as: UTF8.self)
            if line.hasPrefix("<dt>"), let field = Self.attribute("data-field", in: line), let value = Self.element("dd", in: line) {
                cover[field] = value
            } else if line.hasPrefix("<section class=\"change\""), let id = Self.attribute("data-change", in: line),
                      let status = Self.attribute("data-status", in: line) {
                statuses[id] = status
            } else if line.hasPrefix("<div class=\"signature\""), let seqText = Self.attribute("data-seq", in: line), let seq = Int(seqText) {
                let sig = Signature(seq: seq, verified: Self.attribute("data-verified", in: line) == "true",
                                    printedName: Self.span("printed-name", in: line) ?? "", signerID: Self.span("signer-id", in: line) ?? "",
                                    meaning: Self.span("meaning", in: line) ?? "", signedAt: Self.span("signed-at", in: line) ?? "",
                                    comment: Self.span("comment", in: line) ?? "")
                if signatures[seq] != nil && signatures[seq] != sig { duplicateSignatures.append(seq) }
                signatures[seq] = sig
            } else if line.hasPrefix("<table class=\"entries\">") {
                foundTable = true
                return
            }
        }
    }

    /// The next row of the entries table, nil after its last one.
    func nextRow() throws -> Row? {
        while let raw = try lines.next() {
            let line = String(decoding: raw, as: UTF8.self)
            if line.hasPrefix("<tr class=\"entry\"") {
                var cells: [String: String] = [:]
                var rest = line[...]
                while let open = rest.range(of: "<td class=\"") {
                    let afterClass = rest[open.upperBound...]
                    guard let quote = afterClass.firstIndex(of: "\""), let gt = afterClass[quote...].firstIndex(of: ">"),
                          let close = afterClass[gt...].range(of: "</td>") else { break }
                    cells[String(afterClass[..<quote])] = HTML.unescape(afterClass[afterClass.index(after: gt)..<close.lowerBound])
                    rest = afterClass[close.upperBound...]
                }
                return Row(cells: cells, hash: Self.attribute("data-hash", in: line) ?? "")
            }
            if line.hasPrefix("</tbody></table>") { return nil }
        }
        return nil
    }

    static func attribute(_ name: String, in line: String) -> String? {
        guard let start = line.range(of: " \(name)=\"") else { return nil }
        let rest = line[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return HTML.unescape(rest[..<end])
    }

    /// Text of the first `<tag …>text</tag>` on the line.
    static func element(_ tag: String, in line: String) -> String? {
        guard let open = line.range(of: "<\(tag)") else { return nil }
        let rest = line[open.upperBound...]
        guard let gt = rest.firstIndex(of: ">"), let close = rest.range(of: "</\(tag)>") else { return nil }
        return HTML.unescape(rest[rest.index(after: gt)..<close.lowerBound])
    }

    static func span(_ cls: String, in line: String) -> String? {
        guard let open = line.range(of: "<span class=\"\(cls)\">") else { return nil }
        let rest = line[open.upperBound...]
        guard let close = rest.range(of: "</span>") else { return nil }
        return HTML.unescape(rest[..<close.lowerBound])
    }
}
