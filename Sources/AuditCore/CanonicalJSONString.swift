/// RFC 8785 §3.2.2.2 string escaping over UTF-8 bytes: only `"`, `\` and the C0 controls
/// are escaped (short forms where JSON has them, else `\u00xx` in lowercase); every other
/// character is copied as UTF-8. Shared by the serializer and the ledger verifier's fast path.
public enum CanonicalJSONString {
    private static let hex = Array("0123456789abcdef".utf8)

    public static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var start = 0
        for i in 0..<utf8.count {
            let c = utf8[i]
            guard c < 0x20 || c == 0x22 || c == 0x5C else { continue }
            if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
            out.append(0x5C)
            switch c {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            default:
                out.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0x0f)]])
            }
            start = i + 1
        }
        if start < utf8.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count])) }
    }

    /// Pointer form for bulk work: writes the escaped bytes at `dst` (room for 6 bytes per
    /// input byte) and returns how many were written.
    public static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        var out = dst
        var start = 0
        let n = utf8.count
        guard let src = utf8.baseAddress else { return 0 }
        for i in 0..<n {
            let c = src[i]
            guard c < 0x20 || c == 0x22 || c == 0x5C else { continue }
            if start < i { out.update(from: src + start, count: i - start); out += i - start }
            out[0] = 0x5C
            switch c {
            case 0x22: out[1] = 0x22; out += 2
            case 0x5C: out[1] = 0x5C; out += 2
            case 0x08: out[1] = UInt8(ascii: "b"); out += 2
            case 0x09: out[1] = UInt8(ascii: "t"); out += 2
            case 0x0A: out[1] = UInt8(ascii: "n"); out += 2
            case 0x0C: out[1] = UInt8(ascii: "f"); out += 2
            case 0x0D: out[1] = UInt8(ascii: "r"); out += 2
            default:
                out[1] = UInt8(ascii: "u"); out[2] = 0x30; out[3] = 0x30
                out[4] = hex[Int(c >> 4)]; out[5] = hex[Int(c & 0x0f)]
                out += 6
            }
            start = i + 1
        }
        if start < n { out.update(from: src + start, count: n - start); out += n - start }
        return out - dst
    }

    public static func appendEscaped(_ string: String, to out: inout [UInt8]) {
        var s = string
        s.withUTF8 { appendEscaped($0, to: &out) }
    }
}
