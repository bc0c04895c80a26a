import AuditCore

/// Random documents for property and cross-implementation tests: nesting, keys and strings
/// with controls, quotes, combining marks, BMP characters on both sides of the surrogate
/// range and supplementary characters; doubles from random bit patterns and edge values.
struct RandomJSON {
    var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    private static let scalarPool: [Unicode.Scalar] = [
        "a", "z", "A", "0", " ", "\"", "\\", "/", "\u{0}", "\u{1}", "\u{8}", "\t", "\n", "\u{C}", "\r", "\u{1F}",
        "\u{7F}", "\u{80}", "\u{FF}", "\u{E9}", "\u{0301}", "\u{7FF}", "\u{800}", "\u{20AC}", "\u{D7FF}", "\u{E000}",
        "\u{FB33}", "\u{FEFF}", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "\u{1F600}", "\u{1F602}", "\u{10FFFF}",
    ]

    private static let edgeNumbers: [Double] = [
        0, -0.0, 1, -1, 0.1, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 1.7976931348623157e308, -1.7976931348623157e308,
        2.2250738585072014e-308, 1e21, Double(bitPattern: 0x444B_1AE4_D6E2_EF4F), 1e-6, 9.999999999999997e-7, 1e-7,
        9007199254740992, 9007199254740994, Double(bitPattern: 0x441A_C53A_7E04_BCDA), 333333333.3333333, 1e23,
    ]

    mutating func string() -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...8, using: &generator) {
            if Int.random(in: 0..<3, using: &generator) == 0 {
                scalars.append(Self.scalarPool.randomElement(using: &generator)!)
            } else {
                // Any scalar at all, skipping the surrogate gap.
                var value = UInt32.random(in: 0...0x10FFFF, using: &generator)
                if (0xD800...0xDFFF).contains(value) { value -= 0x800 }
                scalars.append(Unicode.Scalar(value)!)
            }
        }
        return String(scalars)
    }

    mutating func number() -> Double {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: return Self.edgeNumbers.randomElement(using: &generator)!
        case 1: return Double(Int.random(in: -1_000_000...1_000_000, using: &generator))
        case 2: return Double(Int.random(in: -99999...99999, using: &generator)) / 100
        default:
            while true {
                let value = Double(bitPattern: generator.next())
                if value.isFinite { return value }
            }
        }
    }

    mutating func value(depth: Int = 0) -> JSONValue {
        let roll = Int.random(in: 0..<(depth >= 4 ? 6 : 9), using: &generator)
        switch roll {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2, 3: return .number(number())
        case 4, 5: return .string(string())
        case 6: return .array((0..<Int.random(in: 0...5, using: &generator)).map { _ in value(depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &generator) { members[string()] = value(depth: depth + 1) }
            return .object(members)
        }
    }

    /// A deliberately non-canonical rendering of `value` on one line: random spaces and tabs,
    /// random member order, `\u` escapes (surrogate pairs for supplementary characters) and
    /// numbers in Swift's round-trip form (`1e-07`, `100.0`, `-0.0`). Never contains '\n'.
    mutating func noncanonicalText(_ value: JSONValue) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    private mutating func space(_ out: inout String) {
        for _ in 0..<Int.random(in: 0...2, using: &generator) { out += Bool.random(using: &generator) ? " " : "\t" }
    }

    private mutating func write(_ value: JSONValue, to out: inout String) {
        space(&out)
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number):
            let text = number.description
            out += Bool.random(using: &generator) ? text : text.uppercased()
        case .string(let text): writeString(text, to: &out)
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                write(element, to: &out)
            }
            space(&out)
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.shuffled(using: &generator).enumerated() {
                if index > 0 { out += "," }
                space(&out)
                writeString(member.key, to: &out)
                space(&out)
                out += ":"
                write(member.value, to: &out)
            }
            space(&out)
            out += "}"
        }
        space(&out)
    }

    private mutating func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            let mustEscape = scalar.value < 0x20 || scalar == "\"" || scalar == "\\"
            if mustEscape || Int.random(in: 0..<4, using: &generator) == 0 {
                for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    private mutating func hex4(_ unit: UInt16) -> String {
        let hex = String(unit, radix: 16, uppercase: Bool.random(using: &generator))
        return String(repeating: "0", count: 4 - hex.count) + hex
    }
}
