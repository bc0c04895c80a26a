/// Which tree sizes a new approval proof or sync file proves consistency from, so that an
/// edge can relate it to whatever it last saw without a round trip to the ledger.
///
/// An edge's last checkpoint is one a bundle or sync file brought it. `bundle create`
/// anchors each bundle at its approval's checkpoint (the first stored checkpoint covering
/// the `change.approved` entry), so the checkpoints of earlier approvals are exactly where
/// edges that loaded earlier bundles stand; refreshed bundles and sync files anchor at the
/// newest checkpoint of their day, covered by the newest stored checkpoints. Sizes an
/// operator names (an edge that fell further behind) come first.
public enum ConsistencyCandidates {
    /// The checkpoint an approval at `seq` is anchored at: the smallest stored size covering it.
    public static func approvalCheckpoint(seq: Int, checkpointSizes: [Int]) -> Int? {
        checkpointSizes.sorted().first { $0 > seq }
    }

    /// Distinct sizes in `1..<anchor`, largest first, at most `limit`: `extra`, then the
    /// checkpoints of the newest `fromApprovals` earlier approvals, then the newest
    /// `fromRecent` stored checkpoints.
    public static func sizes(anchor: Int, approvalSeqs: [Int], checkpointSizes: [Int], extra: [Int] = [],
                             fromApprovals: Int, fromRecent: Int, limit: Int) -> [Int] {
        let stored = checkpointSizes.sorted()
        let approvals = approvalSeqs.sorted(by: >)
            .compactMap { approvalCheckpoint(seq: $0, checkpointSizes: stored) }
            .filter { $0 < anchor }
            .prefix(fromApprovals)
        let recent = stored.filter { $0 < anchor }.suffix(fromRecent).reversed()
        var chosen: [Int] = []
        var seen = Set<Int>()
        for size in extra + Array(approvals) + Array(recent) where size >= 1 && size < anchor && !seen.contains(size) {
            seen.insert(size)
            chosen.append(size)
            if chosen.count == limit { break }
        }
        return chosen.sorted(by: >)
    }
}
