/// The RFC 8785 form of an entry, built by a fixed template from already-canonical parts.
///
/// Entry keys are fixed, so their canonical order is too (actor, kind, payload, prev, seq,
/// subject, time), and the payload is stored as canonical text. Building the bytes this way
/// instead of re-canonicalizing a `JSONValue` is what lets the writer and `verify` run near
/// raw SQLite speed; `EntryEncodingTests` prove it equals `Entry.canonicalBytes` exactly.
public enum EntryEncoding {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends the leaf-hash input, `0x00 ‖ canonical entry`, to `out`.
    public static func appendLeafInput(
        seq: Int, time: UnsafeBufferPointer<UInt8>, kind: UnsafeBufferPointer<UInt8>,
        actor: UnsafeBufferPointer<UInt8>, subject: UnsafeBufferPointer<UInt8>,
        canonicalPayload: UnsafeBufferPointer<UInt8>, prev: UnsafeRawBufferPointer, to out: inout [UInt8]
    ) {
        out.append(0x00)
        out.append(contentsOf: #"{"actor":""#.utf8)
        CanonicalJSONString.appendEscaped(actor, to: &out)
        out.append(contentsOf: #"","kind":""#.utf8)
        CanonicalJSONString.appendEscaped(kind, to: &out)
        out.append(contentsOf: #"","payload":"#.utf8)
        out.append(contentsOf: canonicalPayload)
        out.append(contentsOf: #","prev":"sha256:"#.utf8)
        for b in prev {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0x0f)])
        }
        out.append(contentsOf: #"","seq":"#.utf8)
        appendDecimal(seq, to: &out)
        out.append(contentsOf: #","subject":""#.utf8)
        CanonicalJSONString.appendEscaped(subject, to: &out)
        out.append(contentsOf: #"","time":""#.utf8)
        CanonicalJSONString.appendEscaped(time, to: &out)
        out.append(contentsOf: #""}"#.utf8)
    }

    /// Convenience over Swift strings (the writer's side).
    public static func leafInput(seq: Int, time: String, kind: String, actor: String, subject: String,
                                 canonicalPayload: String, prev: Digest) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(canonicalPayload.utf8.count + 256)
        var t = time, k = kind, a = actor, s = subject, p = canonicalPayload
        t.withUTF8 { t in k.withUTF8 { k in a.withUTF8 { a in s.withUTF8 { s in p.withUTF8 { p in
            prev.bytes.withUnsafeBytes { prevBytes in
                appendLeafInput(seq: seq, time: t, kind: k, actor: a, subject: s, canonicalPayload: p,
                                prev: prevBytes, to: &out)
            }
        } } } } }
        return out
    }

    /// ECMAScript formatting of a non-negative integer below 2^53 is plain decimal.
    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        precondition(value >= 0, "entry seq is never negative")
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        var digits = [UInt8]()
        var v = value
        while v > 0 { digits.append(UInt8(ascii: "0") + UInt8(v % 10)); v /= 10 }
        out.append(contentsOf: digits.reversed())
    }
}
