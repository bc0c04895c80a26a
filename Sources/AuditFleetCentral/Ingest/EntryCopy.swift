import AuditCore
import AuditFleet
import Logging
import NIOCore
import PostgresNIO

/// Writes pushed entries into `plant_entries` with `COPY … FROM STDIN` (text format), the
/// fastest bulk path PostgreSQL offers; postgres-nio streams it inside the push transaction,
/// so a failed or cut copy leaves nothing behind. Rows are encoded straight into the
/// outgoing buffer: at tens of thousands of entries per second, per-field temporaries cost
/// more than the database's own work.
enum EntryCopy {
    static let columns = ["origin", "seq", "time", "kind", "actor", "subject", "payload", "prev", "leaf_hash"]
    /// Rows are sent in chunks of about this many bytes.
    static let chunkBytes = 1 << 20

    static func copy(origin: String, entries: [PushedEntry], prevs: [Digest], leaves: [Digest],
                     on c: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        try await c.copyFrom(table: "plant_entries", columns: columns, logger: logger) { writer in
            var buffer = ByteBufferAllocator().buffer(capacity: chunkBytes + 256 * 1024)
            var escapedOrigin = ByteBufferAllocator().buffer(capacity: origin.utf8.count + 16)
            appendText(origin, to: &escapedOrigin)
            for i in entries.indices {
                appendRow(entries[i], prev: prevs[i], leaf: leaves[i], origin: escapedOrigin, to: &buffer)
                if buffer.readableBytes >= chunkBytes {
                    try await writer.write(buffer)
                    buffer = ByteBufferAllocator().buffer(capacity: chunkBytes + 256 * 1024)
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    /// One row of COPY's text format: tab-separated, newline-terminated, escaped fields.
    static func appendRow(_ e: PushedEntry, prev: Digest, leaf: Digest, origin: ByteBuffer, to out: inout ByteBuffer) {
        let tab = UInt8(ascii: "\t")
        out.writeImmutableBuffer(origin)
        out.writeInteger(tab)
        out.writeString(String(e.seq))
        for text in [e.time, e.kind, e.actor, e.subject, e.payload] {
            out.writeInteger(tab)
            appendText(text, to: &out)
        }
        out.writeInteger(tab)
        appendBytea(prev, to: &out)
        out.writeInteger(tab)
        appendBytea(leaf, to: &out)
        out.writeInteger(UInt8(ascii: "\n"))
    }

    /// COPY text escaping: backslash, tab, newline and carriage return become `\\ \t \n \r`.
    static func appendText(_ text: String, to out: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let escaped: UInt8
                switch bytes[i] {
                case 0x5C: escaped = 0x5C
                case 0x09: escaped = UInt8(ascii: "t")
                case 0x0A: escaped = UInt8(ascii: "n")
                case 0x0D: escaped = UInt8(ascii: "r")
                default: continue
                }
                out.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<i]))
                out.writeInteger(UInt8(0x5C))
                out.writeInteger(escaped)
                start = i + 1
            }
            out.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start...]))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A bytea in hex form (`\x…`), its backslash escaped for COPY: `\\x…`.
    static func appendBytea(_ digest: Digest, to out: inout ByteBuffer) {
        out.writeInteger(UInt8(0x5C))
        out.writeInteger(UInt8(0x5C))
        out.writeInteger(UInt8(ascii: "x"))
        out.writeWithUnsafeMutableBytes(minimumWritableBytes: 64) { raw in
            for (i, b) in digest.bytes.enumerated() {
                raw[2 * i] = hexDigits[Int(b >> 4)]
                raw[2 * i + 1] = hexDigits[Int(b & 0x0F)]
            }
            return 64
        }
    }
}
