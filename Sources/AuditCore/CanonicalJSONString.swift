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

    public static func appendEscaped(_ string: String, to out: inout [UInt8]) {
        var s = string
        s.withUTF8 { appendEscaped($0, to: &out) }
    }
}
