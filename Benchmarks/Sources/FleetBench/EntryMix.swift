import AuditCore
import AuditTesting

/// What the benchmark's plants append: mostly operator notes (the sample entries of the
/// tests), with the records a fleet query looks for mixed in at a plant's usual rate.
struct EntryMix: Sendable {
    func draft(plant: Int, seq: Int) -> EntryDraft {
        TestLedger.sampleDraft(seq)
    }
}
