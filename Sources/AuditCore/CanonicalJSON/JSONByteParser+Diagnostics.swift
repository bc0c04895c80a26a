/// Error messages. They name what was found and what was expected, and call out the
/// usual non-JSON habits (comments, NaN, single quotes, smart quotes) by name.
extension JSONByteParser {
    func endOfInput(expecting expected: String) -> JSONParseFailure {
        JSONParseFailure(offset: bytes.count, message: "unexpected end of input; expected \(expected)")
    }

    /// Failure for the byte at `index` when `expected` was wanted there.
    func unexpected(expecting expected: String) -> JSONParseFailure {
        if let habit = nonJSONHabit(at: index) {
            return JSONParseFailure(offset: index, message: habit)
        }
        return JSONParseFailure(offset: index, message: "unexpected \(describeByte(at: index)); expected \(expected)")
    }

    func duplicateKey(_ key: String, earlier: String, at offset: Int) -> JSONParseFailure {
        if key.utf8.elementsEqual(earlier.utf8) {
            return JSONParseFailure(offset: offset, message: "duplicate key \(quotedForMessage(key))")
        }
        return JSONParseFailure(
            offset: offset,
            message: "key \(quotedForMessage(key)) is canonically equivalent to the earlier key "
                + "\(quotedForMessage(earlier)); such keys are ambiguous")
    }

    /// Constructs people write out of habit from JavaScript, YAML or Python.
    private func nonJSONHabit(at offset: Int) -> String? {
        guard offset < bytes.count else { return nil }
        switch bytes[offset] {
        case UInt8(ascii: "/"): return "comments are not allowed in JSON"
        case UInt8(ascii: "#"): return "comments are not allowed in JSON"
        case UInt8(ascii: "'"): return "strings must use double quotes, not single quotes"
        case UInt8(ascii: "+"): return "numbers must not start with '+'"
        case UInt8(ascii: "."): return "numbers need a digit before the decimal point"
        case UInt8(ascii: "N") where hasPrefix("NaN", at: offset): return "NaN is not allowed in JSON"
        case UInt8(ascii: "I") where hasPrefix("Infinity", at: offset): return "Infinity is not allowed in JSON"
        case 0xE2 where hasPrefix("\u{201C}", at: offset) || hasPrefix("\u{201D}", at: offset):
            return "typographic quote '\u{201C}' used instead of '\"'"
        default: return nil
        }
    }

    func hasPrefix(_ text: String, at offset: Int) -> Bool {
        var position = offset
        for byte in text.utf8 {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
        }
        return true
    }

    /// `character 'x'`, `character '“' (U+201C)`, `control character U+0007` or
    /// `byte 0xFF (not UTF-8)`.
    func describeByte(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of input" }
        let byte = bytes[offset]
        if byte < 0x20 || byte == 0x7F { return "control character \(JSONByteParser.codePoint(UInt32(byte)))" }
        if byte < 0x80 { return "character '\(Character(Unicode.Scalar(byte)))'" }
        let length = utf8SequenceLength(at: offset)
        guard length > 0, let scalar = decodeScalar(at: offset, length: length) else {
            return "byte 0x\(String(byte, radix: 16, uppercase: true)) (not UTF-8)"
        }
        return "character '\(Character(scalar))' (\(JSONByteParser.codePoint(scalar.value)))"
    }

    static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// A key quoted for a message: escaped the canonical way so control characters stay
    /// visible, and cut short so a hostile 10 MB key does not flood the terminal.
    func quotedForMessage(_ key: String) -> String {
        let limit = 80
        let shown = key.unicodeScalars.count > limit
            ? String(String.UnicodeScalarView(key.unicodeScalars.prefix(limit))) + "…"
            : key
        var out: [UInt8] = []
        CanonicalJSONWriter.appendString(shown, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func decodeScalar(at offset: Int, length: Int) -> Unicode.Scalar? {
        var value = UInt32(bytes[offset]) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for position in (offset + 1)..<(offset + length) {
            value = value << 6 | UInt32(bytes[position] & 0x3F)
        }
        return Unicode.Scalar(value)
    }
}
