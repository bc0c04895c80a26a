extension JSONValue {
    /// Indented JSON for people (CLI `--json`): 2-space indent, `"key": value`, keys in the
    /// same UTF-16 order as the canonical form, strings and numbers written the canonical way.
    /// Parses back to an equal value; not for hashing — use `canonicalBytes()` for that.
    public func prettyString() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        appendPretty(to: &out, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func appendPretty(to out: inout [UInt8], indent: Int) {
        switch self {
        case .array(let elements) where !elements.isEmpty:
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent: indent + 1)
                element.appendPretty(to: &out, indent: indent + 1)
            }
            Self.newline(&out, indent: indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (position, member) in JSONKeyOrder.sortedMembers(members).enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent: indent + 1)
                CanonicalJSONWriter.appendString(member.key, to: &out)
                out.append(contentsOf: ": ".utf8)
                member.value.appendPretty(to: &out, indent: indent + 1)
            }
            Self.newline(&out, indent: indent)
            out.append(UInt8(ascii: "}"))
        default:
            // Scalars and empty containers are the same as their canonical form.
            var writer = CanonicalJSONWriter(reservingCapacity: 0)
            writer.write(self)
            out.append(contentsOf: writer.output)
        }
    }

    private static func newline(_ out: inout [UInt8], indent: Int) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }
}
