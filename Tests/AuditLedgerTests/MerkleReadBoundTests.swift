import AuditCore
import AuditLedger
import Testing

/// How many stored nodes each operation reads: the SQLite store does one indexed lookup
/// per read, so these bounds are its database cost.
///
/// Write n = 2^a1 + ... + 2^ap (a1 > ... > ap, p = popcount(n)); the tree is p perfect
/// aligned subtrees ("peaks"), largest first.
/// - root: one read per peak, exactly p.
/// - inclusion of a leaf in peak t: one read per peak left of it (t - 1), the peaks right
///   of it folded into one sibling (p - t), and one sibling per level inside its own peak
///   (a_t): exactly p - 1 + a_t <= p - 1 + floor(log2 n) <= 2 floor(log2 n).
/// - consistency m -> n: at most p - 1 reads for peaks left and right of where the old
///   size ends, at most a_t <= floor(log2 n) inside that peak, plus the base-case node:
///   at most p + floor(log2 n) <= 2 floor(log2 n) + 1.
/// - append: one read per trailing 1 bit of the new leaf's index.
/// Every read also names a node whose leaves all lie inside the tree, i.e. one the store
/// has persisted (CountingNodeSource throws otherwise).
@Suite struct MerkleReadBoundTests {
    /// Level of the peak that holds leaf `index` in a tree of `size` leaves.
    static func peakLevel(containing index: Int, size: Int) -> Int {
        var start = 0
        var level = size.floorLog2
        while true {
            if size >> level & 1 == 1 {
                if index < start + (1 << level) { return level }
                start += 1 << level
            }
            level -= 1
        }
    }

    static func inclusionReads(index: Int, size: Int) throws -> Int {
        let counter = CountingNodeSource(SyntheticNodeSource(), treeSize: size)
        _ = try MerkleTree.inclusionProof(index: index, size: size, source: counter)
        return counter.reads
    }

    static func consistencyReads(from oldSize: Int, to newSize: Int) throws -> Int {
        let counter = CountingNodeSource(SyntheticNodeSource(), treeSize: newSize)
        _ = try MerkleTree.consistencyProof(from: oldSize, to: newSize, source: counter)
        return counter.reads
    }

    /// Sizes up to 2^20: around every power of two, plus a deterministic spread.
    static var largeSizes: [Int] {
        var sizes: Set<Int> = [1_000_000, 999_999, 1_000_001, 0b1010_1010_1010_1010_1010]
        for k in 9...20 { sizes.formUnion([(1 << k) - 1, 1 << k, (1 << k) + 1]) }
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<64 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            sizes.insert(Int(x >> 44) % (1 << 20) + 2)
        }
        return sizes.sorted()
    }

    static func probeIndices(_ size: Int) -> Set<Int> {
        var indices: Set<Int> = [0, 1, size / 3, size / 2, size - 2, size - 1]
        for k in 0..<size.floorLog2 { indices.formUnion([(1 << k) - 1, 1 << k, size - (1 << k)]) }
        return indices.filter { $0 >= 0 && $0 < size }
    }

    @Test func rootReadsOnePerPeak() throws {
        for size in Array(1...300) + Self.largeSizes {
            let counter = CountingNodeSource(SyntheticNodeSource(), treeSize: size)
            _ = try MerkleTree.root(size: size, source: counter)
            #expect(counter.reads == size.nonzeroBitCount, "size \(size)")
        }
    }

    @Test func inclusionReadsMatchTheFormula() throws {
        var worst = 0
        for size in 1...300 {
            for index in 0..<size {
                let reads = try Self.inclusionReads(index: index, size: size)
                #expect(reads == size.nonzeroBitCount - 1 + Self.peakLevel(containing: index, size: size),
                        "leaf \(index) of \(size)")
                #expect(reads <= 2 * size.floorLog2)
                worst = max(worst, reads)
            }
        }
        for size in Self.largeSizes {
            for index in Self.probeIndices(size) {
                let reads = try Self.inclusionReads(index: index, size: size)
                #expect(reads == size.nonzeroBitCount - 1 + Self.peakLevel(containing: index, size: size),
                        "leaf \(index) of \(size)")
                #expect(reads <= 2 * size.floorLog2)
            }
        }
        // The bound is reached: leaf 0 of 2^20 - 1 (20 peaks, the first of height 19).
        #expect(try Self.inclusionReads(index: 0, size: (1 << 20) - 1) == 38)
        #expect(worst == 2 * 255.floorLog2)
    }

    @Test func consistencyReadsWithinBound() throws {
        var worstSlack = Int.max
        for newSize in 1...300 {
            for oldSize in 0...newSize {
                let reads = try Self.consistencyReads(from: oldSize, to: newSize)
                let bound = newSize.nonzeroBitCount + newSize.floorLog2
                #expect(reads <= bound, "\(oldSize) -> \(newSize)")
                #expect(reads <= 2 * newSize.floorLog2 + 1)
                if oldSize > 0 && oldSize < newSize { worstSlack = min(worstSlack, bound - reads) }
            }
        }
        for newSize in Self.largeSizes {
            for oldSize in Self.probeIndices(newSize).map({ $0 + 1 }) {
                let reads = try Self.consistencyReads(from: oldSize, to: newSize)
                #expect(reads <= newSize.nonzeroBitCount + newSize.floorLog2, "\(oldSize) -> \(newSize)")
                #expect(reads <= 2 * newSize.floorLog2 + 1)
            }
        }
        // The bound is tight: some pair up to 300 reaches it exactly.
        #expect(worstSlack == 0)
    }

    @Test func appendReadsOnePerTrailingOne() throws {
        for index in Array(0..<300) + Self.largeSizes {
            let counter = CountingNodeSource(SyntheticNodeSource(), treeSize: index)
            let completed = try MerkleTree.completedNodes(appendingLeafAt: index, leafHash: .zero, source: counter)
            #expect(counter.reads == (~index).trailingZeroBitCount)
            #expect(completed.count == counter.reads)
        }
    }
}
