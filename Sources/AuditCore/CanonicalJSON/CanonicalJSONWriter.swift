extension JSONValue {
    /// The RFC 8785 (JCS) canonical encoding: the only byte string auditctl hashes or signs.
    ///
    /// No whitespace; object members sorted by the UTF-16 code units of their keys; strings
    /// escaped per §3.2.2.2 (only `\"` `\\` `\b` `\f` `\n` `\r` `\t` and `\u00xx` for other
    /// controls, everything else literal UTF-8); numbers in ECMAScript form (§3.2.2.3).
    ///
    /// Precondition: every number is finite. The parser never yields NaN or Infinity; a value
    /// built by hand with one is a programmer error and traps (see `ECMAScriptNumber`).
    public func canonicalBytes() -> [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.write(self)
        return writer.output
    }

    /// `canonicalBytes()` as a String (always valid UTF-8).
    public func canonicalString() -> String {
        String(decoding: canonicalBytes(), as: UTF8.self)
    }
}

/// Appends the canonical form of a value to a byte buffer.
struct CanonicalJSONWriter {
    var output: [UInt8] = []

    init(reservingCapacity capacity: Int = 256) {
        output.reserveCapacity(capacity)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: flag ? "true".utf8 : "false".utf8)
        case .number(let number):
            ECMAScriptNumber.append(number, to: &output)
        case .string(let text):
            Self.appendString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                write(element)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            var first = true
            for position in JSONKeyOrder.sortedIndices(members) {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                Self.appendString(members[position].key, to: &output)
                output.append(UInt8(ascii: ":"))
                write(members[position].value)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `text` as a JSON string per RFC 8785 §3.2.2.2. Runs of bytes that need no
    /// escaping are copied in one go.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { appendEscaped($0, to: &out) }
        if copied == nil {
            appendEscaped(Array(text.utf8), to: &out)  // bridged strings only; native ones are contiguous
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { appendEscaped($0, to: &out) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = 0
        for position in 0..<bytes.count {
            let byte = bytes[position]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            runStart = position + 1
            out.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            default:
                out.append(contentsOf: "u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    }
}
