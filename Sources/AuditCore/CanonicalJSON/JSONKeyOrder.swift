/// RFC 8785 §3.2.3 member order: keys compared as arrays of UTF-16 code units.
///
/// Swift's `String <` compares normalized scalars, which differs, so it must not be used.
/// UTF-16 order equals code point order except that supplementary characters (U+10000 and
/// up, encoded as surrogates 0xD800-0xDBFF) sort *before* U+E000-U+FFFF. Comparing scalars
/// with that one adjustment avoids transcoding every key to UTF-16.
enum JSONKeyOrder {
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.unicodeScalars.makeIterator()
        var right = rhs.unicodeScalars.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case let (a?, b?):
                if a == b { continue }
                return utf16Weight(a) < utf16Weight(b)
            }
        }
    }

    /// A number whose order matches the scalar's first UTF-16 code unit, then the rest.
    @inline(__always)
    private static func utf16Weight(_ scalar: Unicode.Scalar) -> UInt32 {
        let value = scalar.value
        // U+E000-U+FFFF: one code unit above every surrogate, so move them past U+10FFFF.
        return (0xE000..<0x10000).contains(value) ? value + 0x20_0000 : value
    }

    static func sortedMembers(_ members: [String: JSONValue]) -> [(key: String, value: JSONValue)] {
        members.sorted { precedes($0.key, $1.key) }
    }
}
