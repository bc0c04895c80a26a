import AuditCore
import Foundation

extension RecordsState {
    /// `problem.acknowledged`: an admin names entries the replay rejected, after
    /// investigating them. The entries stay rejected (no effect, still listed by `verify` as
    /// acknowledged); the ledger becomes usable again. It grants nothing, so one admin may
    /// sign it, and it can only name entries that were already rejected.
    mutating func applyAcknowledgement(_ e: Entry) {
        guard let seqs = e.payload["seqs"]?.arrayValue?.compactMap(\.int64Value).map(Int.init), !seqs.isEmpty,
              seqs.count == e.payload["seqs"]?.arrayValue?.count
        else { return note(e, "'seqs' must list the rejected entries acknowledged") }
        let rejected = Set(problems.map(\.seq))
        for s in seqs {
            guard s < e.seq, rejected.contains(s) else { return note(e, "seq \(s) is no entry the replay rejected") }
            guard acknowledged[s] == nil else { return note(e, "seq \(s) was already acknowledged at seq \(acknowledged[s]!)") }
        }
        for s in seqs { acknowledged[s] = e.seq }
    }
}
