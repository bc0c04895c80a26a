/// Numbers: the RFC 8259 grammar checked byte by byte, then converted to the nearest double.
extension JSONByteParser {
    /// Exact powers of ten: every 10^k for k ≤ 22 is representable in a double.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses the number at `index`. Short numbers (the usual case) take Clinger's exact fast
    /// path: a mantissa below 2^53 times an exact power of ten rounds once, correctly. Everything
    /// else goes to the C library's correctly rounded `strtod` via `Double(String)`.
    mutating func parseNumber() throws(JSONParseFailure) -> Double {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else {
            if hasPrefix("Infinity", at: index) {
                throw JSONParseFailure(offset: start, message: "-Infinity is not allowed in JSON")
            }
            throw JSONParseFailure(offset: index, message: "expected a digit after '-'")
        }

        var mantissa: UInt64 = 0
        var mantissaDigits = 0
        var exactFits = true
        var decimalShift = 0  // power of ten applied by the fraction digits; only used while exactFits
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) {
                throw JSONParseFailure(offset: start, message: "leading zeros are not allowed in numbers")
            }
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                accumulate(bytes[index], into: &mantissa, digits: &mantissaDigits, fits: &exactFits)
                index += 1
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw JSONParseFailure(offset: index, message: "expected a digit after the decimal point")
            }
            while index < bytes.count, isDigit(bytes[index]) {
                accumulate(bytes[index], into: &mantissa, digits: &mantissaDigits, fits: &exactFits)
                if exactFits { decimalShift -= 1 }
                index += 1
            }
        }
        var exponent = 0
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw JSONParseFailure(offset: index, message: "expected a digit in the exponent")
            }
            while index < bytes.count, isDigit(bytes[index]) {
                // Saturate: anything this large is out of range (or zero) either way.
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }

        let length = index - start
        if length > limits.maxNumberLiteralBytes {
            throw JSONParseFailure(
                offset: start,
                message: "number literal is \(length) bytes long; the limit is \(limits.maxNumberLiteralBytes)")
        }
        if exactFits, mantissa <= 1 << 53 {
            let power = exponent + decimalShift
            var value: Double?
            if mantissa == 0 {
                value = 0
            } else if power >= 0, power <= 22 {
                value = Double(mantissa) * Self.exactPowersOfTen[power]
            } else if power < 0, power >= -22 {
                value = Double(mantissa) / Self.exactPowersOfTen[-power]
            }
            if let value, value.isFinite { return negative ? -value : value }
        }
        return try slowNumber(from: start)
    }

    private func slowNumber(from start: Int) throws(JSONParseFailure) -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            throw JSONParseFailure(offset: start, message: "number \(shown) is out of range for a 64-bit double")
        }
        return value
    }

    /// Adds one digit to the mantissa; leading zeros are skipped so `0.000001` still fits.
    /// `fits` turns false once a digit no longer fits exactly (more than 19 significant digits).
    @inline(__always)
    private func accumulate(_ byte: UInt8, into mantissa: inout UInt64, digits: inout Int, fits: inout Bool) {
        guard fits else { return }
        let digit = UInt64(byte - UInt8(ascii: "0"))
        if mantissa == 0, digit == 0 { return }
        guard digits < 19 else { fits = false; return }
        mantissa = mantissa * 10 + digit
        digits += 1
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
