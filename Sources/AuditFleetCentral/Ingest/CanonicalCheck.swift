import AuditCore

/// A quick proof that a payload is already in RFC 8785 form, by one pass over its bytes
/// with no parse tree: no whitespace, members in UTF-16 key order, only the escapes JCS
/// writes, numbers as ECMAScript prints them. `true` is a proof; `false` means "not shown
/// here" and the caller runs the full check (parse, re-serialize, compare), which also
/// words the error.
enum CanonicalCheck {
    static func isCanonical(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var v = Validator(bytes: bytes)
            return v.value(depth: 0) && v.i == bytes.count
        }
    }

    private struct Validator {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        mutating func value(depth: Int) -> Bool {
            guard i < bytes.count, depth < Limits.maxJSONDepth else { return false }
            switch bytes[i] {
            case UInt8(ascii: "{"): return object(depth: depth + 1)
            case UInt8(ascii: "["): return array(depth: depth + 1)
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard i + n <= bytes.count else { return false }
            for k in 0..<n where bytes[i + k] != word.utf8Start[k] { return false }
            i += n
            return true
        }

        mutating func object(depth: Int) -> Bool {
            i += 1
            guard i < bytes.count else { return false }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return true }
            var previous: Range<Int>?
            while true {
                guard let key = string(keyRequiresNoEscape: true) else { return false }
                if let previous, !Self.precedes(UnsafeBufferPointer(rebasing: bytes[previous]), UnsafeBufferPointer(rebasing: bytes[key])) {
                    return false
                }
                previous = key
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
                i += 1
                guard value(depth: depth) else { return false }
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return true }
                guard bytes[i] == UInt8(ascii: ",") else { return false }
                i += 1
            }
        }

        mutating func array(depth: Int) -> Bool {
            i += 1
            guard i < bytes.count else { return false }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return true }
            while true {
                guard value(depth: depth) else { return false }
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return true }
                guard bytes[i] == UInt8(ascii: ",") else { return false }
                i += 1
            }
        }

        /// The content range of a string whose escapes are exactly JCS's; keys must have none
        /// (their order is then checked on the raw bytes).
        mutating func string(keyRequiresNoEscape: Bool = false) -> Range<Int>? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            let start = i
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { i += 1; return start..<(i - 1) }
                if c < 0x20 { return nil }
                if c == UInt8(ascii: "\\") {
                    guard !keyRequiresNoEscape, i + 1 < bytes.count else { return nil }
                    switch bytes[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 2
                    case UInt8(ascii: "u"):
                        // Only \u00xx, lowercase, for a C0 control without a short form.
                        guard i + 5 < bytes.count, bytes[i + 2] == 0x30, bytes[i + 3] == 0x30,
                              let high = Self.lowerHex(bytes[i + 4]), let low = Self.lowerHex(bytes[i + 5]), high <= 1 else { return nil }
                        let code = high << 4 | low
                        if [0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(code) { return nil }
                        i += 6
                    default:
                        return nil
                    }
                    continue
                }
                i += 1
            }
            return nil
        }

        /// A number as JCS prints it. An integer of at most 15 digits in plain form is exact as
        /// a double and printed as is by ECMAScript; any other literal is parsed on its own and
        /// compared with its canonical form.
        mutating func number() -> Bool {
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            let digits = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            let count = i - digits
            guard count >= 1 else { return false }
            if bytes[digits] == 0x30 && count > 1 { return false } // leading zero
            let plain = !(i < bytes.count && (bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")))
            if plain && count <= 15 { return !(bytes[digits] == 0x30 && digits > start) } // -0 is not canonical
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                let fraction = i
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
                guard i > fraction else { return false }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                let exponent = i
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
                guard i > exponent else { return false }
            }
            let literal = UnsafeBufferPointer(rebasing: bytes[start..<i])
            guard literal.count <= Limits.maxJSONNumberLiteralBytes, let value = try? JSONValue.parse(literal) else { return false }
            return value.canonicalBytes().elementsEqual(literal)
        }

        static func lowerHex(_ c: UInt8) -> Int? {
            switch c {
            case 0x30...0x39: return Int(c - 0x30)
            case 0x61...0x66: return Int(c - 0x61 + 10)
            default: return nil
            }
        }

        /// RFC 8785 member order on UTF-8 bytes (code point order, with supplementary
        /// characters before U+E000–U+FFFF as UTF-16 has them); strictly before.
        static func precedes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
            let common = min(left.count, right.count)
            for k in 0..<common where left[k] != right[k] {
                let a = left[k], b = right[k]
                if a >= 0xF0, b >= 0xEE, b <= 0xEF { return true }
                if b >= 0xF0, a >= 0xEE, a <= 0xEF { return false }
                return a < b
            }
            return left.count < right.count
        }
    }
}
