/// Formats doubles exactly as ECMAScript's `Number.prototype.toString` does, which is what
/// RFC 8785 §3.2.2.3 requires for canonical JSON numbers.
///
/// The shortest round-trip digits come from Swift's `Double.description` (shortest digits,
/// nearest to the exact value, like V8); only the layout is ECMAScript's own:
/// plain digits for 1e-6 ≤ |x| < 1e21, otherwise `d.ddde±n`; `-0` prints as `0`.
enum ECMAScriptNumber {
    /// Appends the ECMAScript form of `value`.
    ///
    /// Non-finite values have no JSON form. The parser never produces them, so reaching one
    /// here means code built a `JSONValue.number(.nan)` or `.infinity` by hand: a programmer
    /// error, which stops the process rather than hash or sign a made-up encoding.
    static func append(_ value: Double, to out: inout [UInt8]) {
        precondition(value.isFinite, "JSONValue.number(\(value)) has no JSON form; RFC 8785 forbids NaN and Infinity")
        if value == 0 {
            out.append(UInt8(ascii: "0"))  // both +0 and -0
            return
        }
        if value.magnitude < 9_007_199_254_740_992, value == value.rounded(.towardZero) {
            // Integers below 2^53 are exact, so their shortest digits are the integer itself.
            appendInteger(Int64(value), to: &out)
            return
        }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
            let (count, pointPosition) = shortestDigits(of: value.magnitude, into: digits)
            layOut(digits: UnsafeBufferPointer(rebasing: digits[0..<count]), pointPosition: pointPosition, to: &out)
        }
    }

    static func string(_ value: Double) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes the significant digits of positive `value` into `digits` (no leading or
    /// trailing zeros) and returns their count `k` and the decimal point position `n`, so that
    /// value = 0.d1d2…dk × 10^n. Swift's description gives e.g. `1.0`, `0.0001`, `1e-07`, `1.2345e+20`.
    private static func shortestDigits(of value: Double, into digits: UnsafeMutableBufferPointer<UInt8>) -> (Int, Int) {
        var count = 0
        var integerDigits = 0
        var zerosAfterPoint = 0
        var seenPoint = false
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in value.description.utf8 {
            if inExponent {
                switch byte {
                case UInt8(ascii: "-"): exponentNegative = true
                case UInt8(ascii: "+"): break
                default: exponent = exponent * 10 + Int(byte &- UInt8(ascii: "0"))
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "."):
                seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            case UInt8(ascii: "0") where count == 0:
                // Leading zero: "0.0001" → digits "1", point three places left.
                if seenPoint { zerosAfterPoint += 1 }
            default:
                if count < digits.count {
                    digits[count] = byte
                    count += 1
                }
                if !seenPoint { integerDigits += 1 }
            }
        }
        while count > 1, digits[count - 1] == UInt8(ascii: "0") { count -= 1 }
        let base = integerDigits > 0 ? integerDigits : -zerosAfterPoint
        return (count, base + (exponentNegative ? -exponent : exponent))
    }

    /// ECMAScript Number::toString steps 6-10 for digits d1…dk and point position n.
    private static func layOut(digits: UnsafeBufferPointer<UInt8>, pointPosition n: Int, to out: inout [UInt8]) {
        let k = digits.count
        if k <= n, n <= 21 {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
        } else if 0 < n, n <= 21 {
            out.append(contentsOf: digits[0..<n])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[n...])
        } else if -6 < n, n <= 0 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
            out.append(contentsOf: digits)
        } else {
            let exponent = n - 1
            out.append(digits[0])
            if k > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            out.append(UInt8(ascii: "e"))
            out.append(exponent >= 0 ? UInt8(ascii: "+") : UInt8(ascii: "-"))
            appendInteger(Int64(exponent.magnitude), to: &out)
        }
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var position = buffer.count
            repeat {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[position...]))
        }
    }
}
