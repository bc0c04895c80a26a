import AuditCore

/// Size arithmetic shared by proof generation and verification. Everything here works on
/// sizes already checked against `Limits.maxMerkleTreeSize`, so no shift or sum overflows.
enum MerkleShape {
    static func checkTreeSize(_ size: Int) throws(MerkleProofError) {
        guard size >= 0, size <= Limits.maxMerkleTreeSize else {
            throw .treeSizeOutOfRange(size: size)
        }
    }

    /// k in RFC 9162 §2.1.1: the largest power of two smaller than `n` (n >= 2).
    static func splitPoint(_ n: Int) -> Int {
        1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }

    static func isPowerOfTwo(_ n: Int) -> Bool {
        n > 0 && n & (n - 1) == 0
    }

    /// Length of PATH(index, D[size]) (RFC 9162 §2.1.3.1); the PATH recursion without hashing.
    static func inclusionProofLength(index: Int, size: Int) -> Int {
        var length = 0
        var target = index
        var count = size
        while count > 1 {
            let k = splitPoint(count)
            if target < k {
                count = k
            } else {
                target -= k
                count -= k
            }
            length += 1
        }
        return length
    }

    /// Length of PROOF(oldSize, D[newSize]) (RFC 9162 §2.1.4.1); empty when
    /// oldSize is 0 or equals newSize.
    static func consistencyProofLength(oldSize: Int, newSize: Int) -> Int {
        guard oldSize > 0, oldSize < newSize else { return 0 }
        var length = 0
        var old = oldSize
        var count = newSize
        var oldIsWholeLeftEdge = true
        while old != count {
            let k = splitPoint(count)
            if old <= k {
                count = k
            } else {
                old -= k
                count -= k
                oldIsWholeLeftEdge = false
            }
            length += 1
        }
        return oldIsWholeLeftEdge ? length : length + 1
    }
}
