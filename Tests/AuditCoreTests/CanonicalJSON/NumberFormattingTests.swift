import AuditCore
import Testing

/// ECMAScript Number.prototype.toString layout (RFC 8785 §3.2.2.3) at its boundaries.
@Suite struct NumberFormattingTests {
    private func canonical(_ value: Double) -> String { JSONValue.number(value).canonicalString() }
    private func canonical(parsing text: String) throws -> String { try JSONValue.parse(text).canonicalString() }

    @Test func zeroHasNoSign() throws {
        #expect(canonical(-0.0) == "0")
        #expect(canonical(0.0) == "0")
        #expect(try canonical(parsing: "-0") == "0")
        #expect(try canonical(parsing: "-0.0e10") == "0")
        // The parser keeps the sign; only the serializer drops it.
        #expect(try JSONValue.parse("-0").doubleValue?.sign == .minus)
    }

    @Test func extremes() {
        #expect(canonical(.leastNonzeroMagnitude) == "5e-324")
        #expect(canonical(-.leastNonzeroMagnitude) == "-5e-324")
        #expect(canonical(1.7976931348623157e308) == "1.7976931348623157e+308")
        #expect(canonical(2.2250738585072014e-308) == "2.2250738585072014e-308")
    }

    @Test func exponentThresholds() {
        // Plain digits up to 1e21 (exclusive), exponent form from 1e21 on.
        #expect(canonical(1e21) == "1e+21")
        #expect(canonical(1e20) == "100000000000000000000")
        #expect(canonical(Double(bitPattern: 0x441A_C53A_7E04_BCDA)) == "123456789012345680000")
        #expect(canonical(1.5e21) == "1.5e+21")
        // Plain down to 1e-6, exponent form below.
        #expect(canonical(0.000001) == "0.000001")
        #expect(canonical(1e-7) == "1e-7")
        #expect(canonical(1.25e-7) == "1.25e-7")
        #expect(canonical(0.0000123) == "0.0000123")
        #expect(canonical(-1e-7) == "-1e-7")
    }

    @Test func integersAndFractions() {
        #expect(canonical(1) == "1")
        #expect(canonical(-42) == "-42")
        #expect(canonical(100) == "100")
        #expect(canonical(1e16) == "10000000000000000")
        #expect(canonical(4.5) == "4.5")
        #expect(canonical(0.1) == "0.1")
        #expect(canonical(0.30000000000000004) == "0.30000000000000004")
        #expect(canonical(-1234567890.1234567) == "-1234567890.1234567")
        #expect(canonical(9007199254740991) == "9007199254740991")
        #expect(canonical(9007199254740992) == "9007199254740992")
    }

    @Test func inputBeyondDoublePrecisionRounds() throws {
        // 2^53 + 1 is not a double; it parses to 2^53 (ties to even) and prints that.
        #expect(try canonical(parsing: "9007199254740993") == "9007199254740992")
        #expect(try canonical(parsing: "333333333.33333329") == "333333333.3333333")
        #expect(try canonical(parsing: "1E30") == "1e+30")
        #expect(try canonical(parsing: "0.000000000000000000000000001") == "1e-27")
        #expect(try canonical(parsing: "1e-400") == "0")
        #expect(try canonical(parsing: "2.4703282292062328e-324") == "5e-324")
    }

    /// Every printed number reads back as the same double.
    @Test func printedFormRoundTrips() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            let text = canonical(value)
            let back = try #require(try JSONValue.parse(text).doubleValue)
            #expect(back == value, "\(value) printed as \(text)")
        }
    }
}
