/// Strings: escapes, surrogate pairs and strict UTF-8 validation.
extension JSONByteParser {
    /// Parses a string whose opening quote is at `index`; leaves `index` after the closing quote.
    /// Strings without escapes (nearly all of them) are decoded straight from the input.
    mutating func parseString() throws(JSONParseFailure) -> String {
        let quoteOffset = index
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start, quoteOffset: quoteOffset) }
            if byte < 0x20 { throw controlCharacter(byte) }
            if byte < 0x80 { index += 1 } else { index += try validUTF8Sequence() }
        }
        throw unterminatedString(at: quoteOffset)
    }

    /// Slow path once a backslash is seen: copies into `scratch`, decoding escapes.
    private mutating func parseEscapedString(from start: Int, quoteOffset: Int) throws(JSONParseFailure) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try appendEscape()
            case 0..<0x20:
                throw controlCharacter(byte)
            case 0x20..<0x80:
                scratch.append(byte)
                index += 1
            default:
                let length = try validUTF8Sequence()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
                index += length
            }
        }
        throw unterminatedString(at: quoteOffset)
    }

    /// Decodes the escape at `index` (a backslash) into `scratch`.
    private mutating func appendEscape() throws(JSONParseFailure) {
        let escapeOffset = index
        guard index + 1 < bytes.count else { throw endOfInput(expecting: "an escape sequence") }
        let letter = bytes[index + 1]
        let simple: UInt8? = switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple {
            scratch.append(simple)
            index += 2
            return
        }
        guard letter == UInt8(ascii: "u") else {
            throw JSONParseFailure(offset: escapeOffset, message: "invalid escape sequence '\\\(describeEscapeLetter(letter))'")
        }
        let unit = try hexQuad(at: escapeOffset)
        index += 6
        var scalarValue = UInt32(unit)
        switch unit {
        case 0xD800...0xDBFF:
            let lowOffset = index
            guard lowOffset + 1 < bytes.count, bytes[lowOffset] == UInt8(ascii: "\\"), bytes[lowOffset + 1] == UInt8(ascii: "u") else {
                throw JSONParseFailure(
                    offset: escapeOffset,
                    message: "lone surrogate \\u\(hex4(unit)): a high surrogate must be followed by a \\u low surrogate")
            }
            let low = try hexQuad(at: lowOffset)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONParseFailure(
                    offset: escapeOffset,
                    message: "lone surrogate \\u\(hex4(unit)): followed by \\u\(hex4(low)), which is not a low surrogate")
            }
            index += 6
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        case 0xDC00...0xDFFF:
            throw JSONParseFailure(
                offset: escapeOffset,
                message: "lone surrogate \\u\(hex4(unit)): a low surrogate must follow a high surrogate")
        default:
            break
        }
        appendUTF8(scalarValue)
    }

    /// Appends a scalar value (never a surrogate: those are refused above) as UTF-8.
    private mutating func appendUTF8(_ value: UInt32) {
        switch value {
        case 0..<0x80:
            scratch.append(UInt8(value))
        case 0x80..<0x800:
            scratch.append(0xC0 | UInt8(value >> 6))
            scratch.append(0x80 | UInt8(value & 0x3F))
        case 0x800..<0x10000:
            scratch.append(0xE0 | UInt8(value >> 12))
            scratch.append(0x80 | UInt8((value >> 6) & 0x3F))
            scratch.append(0x80 | UInt8(value & 0x3F))
        default:
            scratch.append(0xF0 | UInt8(value >> 18))
            scratch.append(0x80 | UInt8((value >> 12) & 0x3F))
            scratch.append(0x80 | UInt8((value >> 6) & 0x3F))
            scratch.append(0x80 | UInt8(value & 0x3F))
        }
    }

    /// Reads the four hex digits of the `\uXXXX` escape whose backslash is at `offset`.
    private func hexQuad(at offset: Int) throws(JSONParseFailure) -> UInt16 {
        var value: UInt16 = 0
        for position in (offset + 2)..<(offset + 6) {
            guard position < bytes.count, let nibble = hexValue(bytes[position]) else {
                throw JSONParseFailure(offset: offset, message: "invalid \\u escape: expected four hex digits")
            }
            value = value << 4 | UInt16(nibble)
        }
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func hex4(_ unit: UInt16) -> String {
        let hex = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }

    private func describeEscapeLetter(_ letter: UInt8) -> String {
        (0x21..<0x7F).contains(letter) ? String(Character(Unicode.Scalar(letter))) : "<byte 0x\(String(letter, radix: 16, uppercase: true))>"
    }

    private func controlCharacter(_ byte: UInt8) -> JSONParseFailure {
        JSONParseFailure(
            offset: index,
            message: "control character \(JSONByteParser.codePoint(UInt32(byte))) must be escaped in a string")
    }

    private func unterminatedString(at quoteOffset: Int) -> JSONParseFailure {
        JSONParseFailure(offset: quoteOffset, message: "unterminated string: no closing '\"'")
    }

    /// Length of the valid UTF-8 sequence at `index`, or a failure naming what is wrong.
    private func validUTF8Sequence() throws(JSONParseFailure) -> Int {
        let length = utf8SequenceLength(at: index)
        guard length > 0 else {
            throw JSONParseFailure(offset: index, message: "invalid UTF-8: \(utf8Problem(at: index))")
        }
        return length
    }

    /// Length of the well-formed UTF-8 sequence starting at `offset` (Unicode Table 3-7),
    /// or 0 if it is not well formed: overlong forms, encoded surrogates, code points
    /// above U+10FFFF and truncated sequences are all refused.
    func utf8SequenceLength(at offset: Int) -> Int {
        let lead = bytes[offset]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        guard offset + length <= bytes.count else { return 0 }
        guard (low...high).contains(bytes[offset + 1]) else { return 0 }
        for position in (offset + 2)..<(offset + length) where bytes[position] & 0xC0 != 0x80 {
            return 0
        }
        return length
    }

    private func utf8Problem(at offset: Int) -> String {
        let lead = bytes[offset]
        let hex = "0x" + String(lead, radix: 16, uppercase: true)
        switch lead {
        case 0x80...0xBF: return "unexpected continuation byte \(hex)"
        case 0xC0, 0xC1: return "overlong encoding (lead byte \(hex))"
        case 0xF5...0xFF: return "byte \(hex) never appears in UTF-8"
        case 0xE0 where offset + 1 < bytes.count && bytes[offset + 1] < 0xA0,
             0xF0 where offset + 1 < bytes.count && bytes[offset + 1] < 0x90:
            return "overlong encoding (lead byte \(hex))"
        case 0xED where offset + 1 < bytes.count && bytes[offset + 1] >= 0xA0:
            return "encoded surrogate (surrogates are not characters)"
        case 0xF4 where offset + 1 < bytes.count && bytes[offset + 1] >= 0x90:
            return "code point above U+10FFFF"
        default: return "truncated or malformed sequence starting with \(hex)"
        }
    }
}
