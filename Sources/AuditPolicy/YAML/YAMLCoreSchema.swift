/// YAML 1.2 core schema resolution of plain (unquoted) scalars. Only `true`/`false` are
/// booleans (no YAML 1.1 `yes`/`no`/`on`), so `country: no` stays a string.
enum YAMLCoreSchema {
    static func resolvePlain(_ text: String) -> YAMLCoreTag {
        if isNull(text) { return .null }
        if isBool(text) { return .bool }
        if isInt(text) { return .int }
        if isFloat(text) { return .float }
        return .str
    }

    static func isNull(_ text: String) -> Bool {
        ["", "~", "null", "Null", "NULL"].contains(text)
    }

    static func isBool(_ text: String) -> Bool {
        ["true", "True", "TRUE", "false", "False", "FALSE"].contains(text)
    }

    static func boolValue(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    static func isInt(_ text: String) -> Bool { intValue(text) != nil || looksLikeInt(text) }

    /// Decimal (with optional sign), `0o` octal or `0x` hex; nil when it does not fit in Int.
    static func intValue(_ text: String) -> Int? {
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        guard looksLikeDecimalInt(text) else { return nil }
        return Int(text)
    }

    /// True for integer syntax even if the value overflows Int (so it is not read as a string).
    private static func looksLikeInt(_ text: String) -> Bool {
        if text.hasPrefix("0o") { return text.count > 2 && text.dropFirst(2).allSatisfy { ("0"..."7").contains($0) } }
        if text.hasPrefix("0x") { return text.count > 2 && text.dropFirst(2).allSatisfy(\.isHexDigit) }
        return looksLikeDecimalInt(text)
    }

    private static func looksLikeDecimalInt(_ text: String) -> Bool {
        var digits = Substring(text)
        if let first = digits.first, first == "-" || first == "+" { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func isFloat(_ text: String) -> Bool { floatValue(text) != nil }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `±.inf`, `.nan`.
    static func floatValue(_ text: String) -> Double? {
        var body = Substring(text)
        var sign = 1.0
        if let first = body.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        if [".inf", ".Inf", ".INF"].contains(body) { return sign * .infinity }
        if [".nan", ".NaN", ".NAN"].contains(text) { return .nan }
        guard matchesFloatSyntax(body) else { return nil }
        return Double(text)
    }

    private static func matchesFloatSyntax(_ body: Substring) -> Bool {
        var rest = body
        let intDigits = rest.prefix { $0.isASCII && $0.isNumber }
        rest = rest.dropFirst(intDigits.count)
        var fracDigits: Substring = ""
        if rest.first == "." {
            rest = rest.dropFirst()
            fracDigits = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(fracDigits.count)
        }
        guard !intDigits.isEmpty || !fracDigits.isEmpty else { return false }
        if let e = rest.first, e == "e" || e == "E" {
            rest = rest.dropFirst()
            if let s = rest.first, s == "-" || s == "+" { rest = rest.dropFirst() }
            let expDigits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !expDigits.isEmpty else { return false }
            rest = rest.dropFirst(expDigits.count)
        }
        return rest.isEmpty
    }
}
