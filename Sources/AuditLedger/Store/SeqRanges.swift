/// A set of entry seqs held as sorted, disjoint, non-adjacent half-open ranges: the pages
/// a reader has checked merge into a few ranges however many entries they cover.
struct SeqRanges: Sendable, Equatable {
    private(set) var ranges: [Range<Int>] = []

    func contains(_ seq: Int) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound <= seq { low = mid + 1 } else { high = mid }
        }
        return low < ranges.count && ranges[low].contains(seq)
    }

    /// Adds `seqs` (in any order).
    mutating func insert(_ seqs: [Int]) {
        guard !seqs.isEmpty else { return }
        var runs: [Range<Int>] = []
        for seq in seqs.sorted() {
            if let last = runs.last, last.upperBound >= seq {
                runs[runs.count - 1] = last.lowerBound..<max(last.upperBound, seq + 1)
            } else {
                runs.append(seq..<seq + 1)
            }
        }
        var merged: [Range<Int>] = []
        merged.reserveCapacity(ranges.count + runs.count)
        var i = 0, j = 0
        while i < ranges.count || j < runs.count {
            let next: Range<Int>
            if j == runs.count || (i < ranges.count && ranges[i].lowerBound <= runs[j].lowerBound) {
                next = ranges[i]; i += 1
            } else {
                next = runs[j]; j += 1
            }
            if let last = merged.last, last.upperBound >= next.lowerBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, next.upperBound)
            } else {
                merged.append(next)
            }
        }
        ranges = merged
    }
}
