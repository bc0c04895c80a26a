import AuditCore

/// Hex from a spec's test vector; an invalid literal fails the test instead of crashing.
func hexBytes(_ text: String) -> [UInt8] {
    Hex.decode(text.filter { !$0.isWhitespace }) ?? []
}

/// Every variant of `bytes` with exactly one bit flipped.
func oneBitFlips(_ bytes: [UInt8]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    out.reserveCapacity(bytes.count * 8)
    for i in bytes.indices {
        for bit in 0..<8 {
            var copy = bytes
            copy[i] ^= UInt8(1) << UInt8(bit)
            out.append(copy)
        }
    }
    return out
}
