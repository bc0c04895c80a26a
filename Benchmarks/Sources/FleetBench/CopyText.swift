import AuditLedger

/// Rows of `plant_entries` in COPY's text format (tab-separated, escaped, bytea as `\\x…`):
/// the bytes the raw PostgreSQL baseline streams, prepared before its clock starts.
enum CopyText {
    static let columns = ["origin", "seq", "time", "kind", "actor", "subject", "payload", "prev", "leaf_hash"]

    static func appendRow(origin: String, _ row: StoredEntryRow, to out: inout [UInt8]) {
        let tab = UInt8(ascii: "\t")
        escape(origin, to: &out)
        out.append(tab)
        out += Array(String(row.seq).utf8)
        for text in [row.time, row.kind, row.actor, row.subject, row.canonicalPayload] {
            out.append(tab)
            escape(text, to: &out)
        }
        for digest in [row.prev, row.hash] {
            out.append(tab)
            out += [0x5C, 0x5C, UInt8(ascii: "x")] + Array(digest.hex.utf8)
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// Backslash, tab, newline and carriage return escaped as COPY text requires.
    static func escape(_ text: String, to out: inout [UInt8]) {
        for b in text.utf8 {
            switch b {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            default: out.append(b)
            }
        }
    }
}
