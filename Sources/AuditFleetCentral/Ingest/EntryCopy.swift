import AuditCore
import AuditFleet
import Logging
import NIOCore
import PostgresNIO

/// Writes pushed entries into `plant_entries` with `COPY … FROM STDIN` (text format), the
/// fastest bulk path PostgreSQL offers; postgres-nio streams it inside the push transaction,
/// so a failed or cut copy leaves nothing behind.
enum EntryCopy {
    static let columns = ["origin", "seq", "time", "kind", "actor", "subject", "payload", "prev", "leaf_hash"]
    /// Rows are sent in chunks of about this many bytes.
    static let chunkBytes = 1 << 20

    static func copy(origin: String, entries: [PushedEntry], leaves: [Digest], on c: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        try await c.copyFrom(table: "plant_entries", columns: columns, logger: logger) { writer in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(chunkBytes + 80 * 1024)
            var escapedOrigin: [UInt8] = []
            appendText(origin, to: &escapedOrigin)
            for (i, entry) in entries.enumerated() {
                appendRow(entry, leaf: leaves[i], origin: escapedOrigin, to: &buffer)
                if buffer.count >= chunkBytes {
                    try await writer.write(ByteBuffer(bytes: buffer))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if !buffer.isEmpty { try await writer.write(ByteBuffer(bytes: buffer)) }
        }
    }

    /// One row of COPY's text format: tab-separated, newline-terminated, escaped fields.
    static func appendRow(_ e: PushedEntry, leaf: Digest, origin: [UInt8], to out: inout [UInt8]) {
        let tab = UInt8(ascii: "\t")
        out += origin
        out.append(tab)
        out += Array(String(e.seq).utf8)
        for text in [e.time, e.kind, e.actor, e.subject, e.payload] {
            out.append(tab)
            appendText(text, to: &out)
        }
        out.append(tab)
        appendByteaHex(hexDigits: e.prev, to: &out)
        out.append(tab)
        appendByteaHex(hexDigits: leaf.hex, to: &out)
        out.append(UInt8(ascii: "\n"))
    }

    /// COPY text escaping: backslash, tab, newline and carriage return become `\\ \t \n \r`.
    static func appendText(_ text: String, to out: inout [UInt8]) {
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            out.append(contentsOf: utf8)
            return
        }
        for b in utf8 {
            switch b {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            default: out.append(b)
            }
        }
    }

    /// A bytea in hex form (`\x…`), its backslash escaped for COPY: `\\x…`. `hexDigits` is
    /// already-validated lowercase hex (the entry's `prev`, checked by `leafHash()`).
    static func appendByteaHex(hexDigits: String, to out: inout [UInt8]) {
        out += [0x5C, 0x5C, UInt8(ascii: "x")]
        out.append(contentsOf: hexDigits.utf8)
    }
}
