import AuditCore

extension RecordsState {
    /// Applies one more entry, in seq order, for callers that stream entries (exports and
    /// their offline verifier) instead of holding a whole ledger in memory. Same rules as
    /// `fold`: entries of kinds outside `foldedKinds` change nothing.
    public mutating func replay(_ entry: Entry) {
        apply(entry)
    }
}
