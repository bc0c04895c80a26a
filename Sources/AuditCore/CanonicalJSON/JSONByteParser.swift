/// A parse failure before line and column are known; `JSONValue.parse` turns it into a
/// `JSONParseError` once, so the hot path never tracks positions beyond a byte index.
struct JSONParseFailure: Error {
    let offset: Int
    let message: String
}

/// Recursive-descent parser over UTF-8 bytes. Recursion depth is bounded by
/// `limits.maxDepth`, so hostile nesting cannot overflow the stack.
struct JSONByteParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONParseLimits
    var index = 0
    var depth = 0
    /// Reused for strings that contain escapes, so each one does not allocate afresh.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONParseLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parseDocument() throws(JSONParseFailure) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw JSONParseFailure(offset: 0, message: "byte order mark is not allowed before JSON text")
        }
        skipWhitespace()
        guard index < bytes.count else {
            throw JSONParseFailure(offset: index, message: bytes.isEmpty ? "empty document" : "document holds only whitespace")
        }
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count {
            throw JSONParseFailure(offset: index, message: "unexpected \(describeByte(at: index)) after the JSON value")
        }
        return value
    }

    mutating func parseValue() throws(JSONParseFailure) -> JSONValue {
        guard index < bytes.count else { throw endOfInput(expecting: "a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpected(expecting: "a value")
        }
    }

    mutating func parseArray() throws(JSONParseFailure) -> JSONValue {
        try enterContainer()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput(expecting: "',' or ']' in an array") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "]") { index += 1; break }
            guard byte == UInt8(ascii: ",") else { throw unexpected(expecting: "',' or ']' after an array element") }
            try skipComma(closing: UInt8(ascii: "]"))
        }
        depth -= 1
        return .array(elements)
    }

    mutating func parseObject() throws(JSONParseFailure) -> JSONValue {
        try enterContainer()
        index += 1
        // Members are collected first so the dictionary is allocated once at its final size.
        var pending: [(key: String, offset: Int, value: JSONValue)] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object([:])
        }
        while true {
            guard index < bytes.count else { throw endOfInput(expecting: "a string key") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected(expecting: "a string key") }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput(expecting: "':' after an object key") }
            guard bytes[index] == UInt8(ascii: ":") else { throw unexpected(expecting: "':' after an object key") }
            index += 1
            skipWhitespace()
            pending.append((key, keyOffset, try parseValue()))
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput(expecting: "',' or '}' in an object") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "}") { index += 1; break }
            guard byte == UInt8(ascii: ",") else { throw unexpected(expecting: "',' or '}' after an object member") }
            try skipComma(closing: UInt8(ascii: "}"))
        }
        depth -= 1
        var members = [String: JSONValue](minimumCapacity: pending.count)
        for member in pending {
            // One hash per member: insert, and if the key was already there, report it.
            // The dictionary keeps the first spelling of the key, which the message quotes.
            if members.updateValue(member.value, forKey: member.key) != nil, let earlier = members.index(forKey: member.key) {
                throw duplicateKey(member.key, earlier: members[earlier].key, at: member.offset)
            }
        }
        return .object(members)
    }

    /// Steps over a ',' and the whitespace after it, refusing a trailing comma.
    private mutating func skipComma(closing: UInt8) throws(JSONParseFailure) {
        let commaOffset = index
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == closing {
            throw JSONParseFailure(
                offset: commaOffset,
                message: "trailing comma before '\(Character(Unicode.Scalar(closing)))'")
        }
    }

    private mutating func enterContainer() throws(JSONParseFailure) {
        depth += 1
        if depth > limits.maxDepth {
            throw JSONParseFailure(offset: index, message: "nesting is deeper than \(limits.maxDepth) levels")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseFailure) {
        let count = literal.utf8CodeUnitCount
        let matches = literal.withUTF8Buffer { expected in
            index + count <= bytes.count && (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else {
            throw JSONParseFailure(offset: index, message: "invalid literal; expected '\(literal)'")
        }
        index += count
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }
}
