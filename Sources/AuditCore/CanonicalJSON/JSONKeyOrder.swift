/// RFC 8785 §3.2.3 member order: keys compared as arrays of UTF-16 code units.
///
/// Swift's `String <` compares normalized scalars, which differs, so it must not be used.
/// UTF-16 order equals code point order except that supplementary characters (U+10000 and
/// up, encoded as surrogates 0xD800-0xDBFF) sort *before* U+E000-U+FFFF. Comparing UTF-8
/// bytes with that one adjustment avoids transcoding every key to UTF-16.
enum JSONKeyOrder {
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in precedes(utf8: left, right) }
        }
        if let fast, let result = fast { return result }
        return precedesByUTF16(lhs, rhs)
    }

    /// UTF-8 byte order is code point order, and the first differing byte of two valid
    /// UTF-8 strings is at a character boundary or inside two characters with the same lead
    /// byte. Only a lead byte 0xEE/0xEF (U+E000-U+FFFF) against 0xF0-0xF4 (supplementary)
    /// needs the UTF-16 correction.
    private static func precedes(utf8 left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(left.count, right.count)
        var index = 0
        while index < common {
            let a = left[index]
            let b = right[index]
            if a != b {
                if a >= 0xF0, b >= 0xEE, b <= 0xEF { return true }
                if b >= 0xF0, a >= 0xEE, a <= 0xEF { return false }
                return a < b
            }
            index += 1
        }
        return left.count < right.count
    }

    /// Fallback for strings without contiguous UTF-8 (bridged strings on Apple platforms).
    private static func precedesByUTF16(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf16.lexicographicallyPrecedes(rhs.utf16)
    }

    /// Dictionary indices in canonical order; sorting indices avoids copying every member.
    static func sortedIndices(_ members: [String: JSONValue]) -> [Dictionary<String, JSONValue>.Index] {
        members.indices.sorted { precedes(members[$0].key, members[$1].key) }
    }

    static func sortedMembers(_ members: [String: JSONValue]) -> [(key: String, value: JSONValue)] {
        members.sorted { precedes($0.key, $1.key) }
    }
}
