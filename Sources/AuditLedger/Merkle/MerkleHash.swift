import AuditCore
import AuditCrypto

/// RFC 9162 §2.1.1 hashing. Leaves and interior nodes get different one-byte prefixes
/// (0x00, 0x01) so a leaf can never be passed off as an interior node or the reverse,
/// which is what makes second-preimage attacks on the tree infeasible.
public enum MerkleHash {
    public static let leafPrefix: UInt8 = 0x00
    public static let nodePrefix: UInt8 = 0x01

    /// MTH({}) = HASH(): the root of the empty tree is SHA-256 of the empty string.
    public static let emptyRoot: Digest = SHA256.hash([UInt8]())

    /// MTH({d}) = HASH(0x00 || d).
    public static func leaf(_ data: [UInt8]) -> Digest {
        let hasher = SHA256Hasher()
        hasher.update(byte: leafPrefix)
        hasher.update(data)
        return hasher.finalize()
    }

    /// HASH(0x01 || left || right). Hashed from one stack buffer: this runs once per
    /// level for every append and every proof step, so it avoids a hasher object.
    public static func node(_ left: Digest, _ right: Digest) -> Digest {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 + 2 * Digest.byteCount) { buffer in
            buffer[0] = nodePrefix
            for i in 0..<Digest.byteCount {
                buffer[1 + i] = left.bytes[i]
                buffer[1 + Digest.byteCount + i] = right.bytes[i]
            }
            return SHA256.hash(UnsafeRawBufferPointer(buffer))
        }
    }
}
