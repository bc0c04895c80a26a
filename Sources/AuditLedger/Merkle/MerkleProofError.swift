import AuditCore

/// Why a Merkle proof (or a request for one) was refused.
///
/// The first group means the input is malformed: the sizes, index or proof length cannot
/// describe any tree. The second group means the input is well formed but does not verify:
/// the leaf is not in the tree, the trees are not consistent, or something was altered.
public enum MerkleProofError: Error, Equatable, Sendable, CustomStringConvertible {
    // Malformed input.
    /// A tree size below 0 or above `Limits.maxMerkleTreeSize`.
    case treeSizeOutOfRange(size: Int)
    /// A leaf index below 0 or not below the tree size (RFC 9162 §2.1.3.2 step 1).
    case leafIndexOutOfRange(index: Int, size: Int)
    /// An old tree size larger than the new one: a log never shrinks.
    case sizesOutOfOrder(oldSize: Int, newSize: Int)
    /// The proof does not have the one length these sizes (and index) call for.
    case proofLengthMismatch(expected: Int, actual: Int)

    // Verification failed.
    /// The inclusion proof leads to `computed`, not to the trusted root `expected`.
    case rootMismatch(computed: Digest, expected: Digest)
    /// The consistency proof leads to an old root other than the trusted one.
    case oldRootMismatch(computed: Digest, expected: Digest)
    /// The consistency proof leads to a new root other than the trusted one.
    case newRootMismatch(computed: Digest, expected: Digest)

    /// True when the input could not describe any tree; false when it simply did not verify.
    public var isMalformed: Bool {
        switch self {
        case .treeSizeOutOfRange, .leafIndexOutOfRange, .sizesOutOfOrder, .proofLengthMismatch:
            return true
        case .rootMismatch, .oldRootMismatch, .newRootMismatch:
            return false
        }
    }

    public var description: String {
        switch self {
        case .treeSizeOutOfRange(let size):
            return "Merkle tree size \(size) is out of range (0 to \(Limits.maxMerkleTreeSize))"
        case .leafIndexOutOfRange(let index, let size):
            return "leaf index \(index) is outside a Merkle tree of size \(size)"
        case .sizesOutOfOrder(let oldSize, let newSize):
            return "old tree size \(oldSize) is larger than new tree size \(newSize); a log never shrinks"
        case .proofLengthMismatch(let expected, let actual):
            return "Merkle proof has \(actual) hashes, but a proof for these sizes has exactly \(expected)"
        case .rootMismatch(let computed, let expected):
            return "inclusion proof leads to root \(computed), not the trusted root \(expected); "
                + "the entry is not in this tree, or the entry, proof or root was altered"
        case .oldRootMismatch(let computed, let expected):
            return "consistency proof leads to old root \(computed), not the trusted old root \(expected); "
                + "the log may have been rewritten, or the proof or root was altered"
        case .newRootMismatch(let computed, let expected):
            return "consistency proof leads to new root \(computed), not the trusted new root \(expected); "
                + "the log may have been rewritten, or the proof or root was altered"
        }
    }
}
