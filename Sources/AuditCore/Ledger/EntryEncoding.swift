/// The RFC 8785 form of an entry, built by a fixed template from already-canonical parts.
///
/// Entry keys are fixed, so their canonical order is too (actor, kind, payload, prev, seq,
/// subject, time), and the payload is stored as canonical text. Building the bytes this way
/// instead of re-canonicalizing a `JSONValue` is what lets the writer and `verify` run near
/// raw SQLite speed; `EntryEncodingTests` prove it equals `Entry.canonicalBytes` exactly.
/// The writer works on raw memory because, per row, array appends cost more than SHA-256.
public enum EntryEncoding {
    /// An upper bound on the leaf input's size (every escaped byte takes at most 6).
    public static func maxLeafInputSize(timeBytes: Int, kindBytes: Int, actorBytes: Int, subjectBytes: Int,
                                        payloadBytes: Int) -> Int {
        160 + 6 * (timeBytes + kindBytes + actorBytes + subjectBytes) + payloadBytes
    }

    /// Writes `0x00 ‖ canonical entry` at `dst`, which must hold `maxLeafInputSize(…)` bytes;
    /// returns the number of bytes written.
    public static func writeLeafInput(
        seq: Int, time: UnsafeBufferPointer<UInt8>, kind: UnsafeBufferPointer<UInt8>,
        actor: UnsafeBufferPointer<UInt8>, subject: UnsafeBufferPointer<UInt8>,
        canonicalPayload: UnsafeBufferPointer<UInt8>, prev: UnsafeRawBufferPointer,
        into dst: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var p = dst
        p.pointee = 0x00
        p += 1
        p = put(#"{"actor":""#, p)
        p += CanonicalJSONString.writeEscaped(actor, into: p)
        p = put(#"","kind":""#, p)
        p += CanonicalJSONString.writeEscaped(kind, into: p)
        p = put(#"","payload":"#, p)
        p = put(canonicalPayload, p)
        p = put(#","prev":"sha256:"#, p)
        let digits: StaticString = "0123456789abcdef"
        let d = digits.utf8Start
        for b in prev.prefix(32) {
            p[0] = d[Int(b >> 4)]
            p[1] = d[Int(b & 0x0f)]
            p += 2
        }
        p = put(#"","seq":"#, p)
        p = putDecimal(seq, p)
        p = put(#","subject":""#, p)
        p += CanonicalJSONString.writeEscaped(subject, into: p)
        p = put(#"","time":""#, p)
        p += CanonicalJSONString.writeEscaped(time, into: p)
        p = put(#""}"#, p)
        return p - dst
    }

    /// Convenience over Swift strings (the writer's side).
    public static func leafInput(seq: Int, time: String, kind: String, actor: String, subject: String,
                                 canonicalPayload: String, prev: Digest) -> [UInt8] {
        var t = time, k = kind, a = actor, s = subject, pl = canonicalPayload
        let capacity = maxLeafInputSize(timeBytes: t.utf8.count, kindBytes: k.utf8.count, actorBytes: a.utf8.count,
                                        subjectBytes: s.utf8.count, payloadBytes: pl.utf8.count)
        return t.withUTF8 { t in k.withUTF8 { k in a.withUTF8 { a in s.withUTF8 { s in pl.withUTF8 { pl in
            prev.bytes.withUnsafeBytes { prevBytes in
                [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                    count = writeLeafInput(seq: seq, time: t, kind: k, actor: a, subject: s, canonicalPayload: pl,
                                           prev: prevBytes, into: buffer.baseAddress!)
                }
            }
        } } } } }
    }

    @inline(__always)
    private static func put(_ s: StaticString, _ p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        p.update(from: s.utf8Start, count: s.utf8CodeUnitCount)
        return p + s.utf8CodeUnitCount
    }

    @inline(__always)
    private static func put(_ b: UnsafeBufferPointer<UInt8>, _ p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if let base = b.baseAddress, b.count > 0 { p.update(from: base, count: b.count) }
        return p + b.count
    }

    /// ECMAScript formatting of a non-negative integer below 2^53 is plain decimal.
    private static func putDecimal(_ value: Int, _ p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        precondition(value >= 0, "entry seq is never negative")
        var digits = 1
        var v = value
        while v >= 10 { v /= 10; digits += 1 }
        v = value
        for i in stride(from: digits - 1, through: 0, by: -1) {
            p[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
        return p + digits
    }
}
