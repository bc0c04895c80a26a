/// Standard base64 (RFC 4648 §4) with padding, decoded strictly: only the canonical
/// encoding of a byte string is accepted (no whitespace, no missing padding, no non-zero
/// trailing bits). Signed encodings must have exactly one spelling, so a re-encoded
/// signature or key cannot slip past a byte-for-byte comparison.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
            out.append(alphabet[Int(v & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let v = UInt32(bytes[i]) << 16
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        } else if rest == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ string: String) -> [UInt8]? {
        decode(utf8: Array(string.utf8))
    }

    /// Nil unless `text` is the canonical padded encoding of some byte string.
    public static func decode(utf8 text: [UInt8]) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        if text.isEmpty { return [] }
        let pad = text[text.count - 1] == UInt8(ascii: "=") ? (text[text.count - 2] == UInt8(ascii: "=") ? 2 : 1) : 0
        var out = [UInt8]()
        out.reserveCapacity(text.count / 4 * 3)
        var i = 0
        while i < text.count {
            let isLast = i + 4 == text.count
            var v: UInt32 = 0
            for j in 0..<4 {
                let c = text[i + j]
                if isLast && j >= 4 - pad {
                    v <<= 6
                    continue
                }
                let d = reverse[Int(c)]
                if d == 0xFF { return nil }
                v = v << 6 | UInt32(d)
            }
            let b0 = UInt8(v >> 16 & 0xFF), b1 = UInt8(v >> 8 & 0xFF), b2 = UInt8(v & 0xFF)
            if isLast && pad == 2 {
                guard b1 == 0, b2 == 0 else { return nil }   // non-zero trailing bits
                out.append(b0)
            } else if isLast && pad == 1 {
                guard b2 == 0 else { return nil }
                out.append(b0); out.append(b1)
            } else {
                out.append(b0); out.append(b1); out.append(b2)
            }
            i += 4
        }
        return out
    }
}
