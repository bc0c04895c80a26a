import AuditCore
import AuditCrypto
import Dispatch
import Foundation

/// Every level of the Merkle tree recomputed from leaf hashes, kept as flat 32-byte
/// arrays (64 bytes of memory per entry in all). It serves as a `MerkleNodeSource`, so
/// checkpoint roots are computed by the same code the store uses, from recomputed data only.
struct HashLevels: MerkleNodeSource {
    private(set) var levels: [[UInt8]]

    init(leaves: [UInt8]) {
        levels = [leaves]
        var current = leaves
        while current.count / 32 >= 2 {
            let next = Self.parents(of: current)
            levels.append(next)
            current = next
        }
    }

    func count(level: Int) -> Int { level < levels.count ? levels[level].count / 32 : 0 }

    func node(level: Int, index: Int) throws -> Digest {
        guard level < levels.count, index >= 0, index < count(level: level) else {
            throw LedgerError.corrupted(seq: nil, reason: "node (level \(level), index \(index)) is outside the recomputed tree")
        }
        let start = index * 32
        return Digest(uncheckedBytes: Array(levels[level][start..<start + 32]))
    }

    func equals(level: Int, index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = index * 32
        return levels[level].withUnsafeBytes { memcmp($0.baseAddress! + start, bytes.baseAddress!, 32) == 0 }
    }

    /// Hashes pairs (0x01 ‖ left ‖ right) on every core: the node hashes of a million-entry
    /// log are as much work as its leaves.
    private static func parents(of level: [UInt8]) -> [UInt8] {
        let n = level.count / 32 / 2
        var out = [UInt8](repeating: 0, count: n * 32)
        let chunks = n >= 4096 ? 8 : 1
        level.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                nonisolated(unsafe) let dst = dst
                nonisolated(unsafe) let src = src
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let lo = n * c / chunks, hi = n * (c + 1) / chunks
                    withUnsafeTemporaryAllocation(byteCount: 65, alignment: 1) { buf in
                        buf[0] = 0x01
                        for i in lo..<hi {
                            buf.baseAddress!.advanced(by: 1).copyMemory(from: src.baseAddress!.advanced(by: i * 64), byteCount: 64)
                            SHA256.hash(UnsafeRawBufferPointer(buf), into: UnsafeMutableRawBufferPointer(rebasing: dst[i * 32..<i * 32 + 32]))
                        }
                    }
                }
            }
        }
        return out
    }
}
