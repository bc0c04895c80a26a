import AuditRecords

/// Orders that must not depend on dictionary iteration: the verifier recomputes keys.json
/// and compares it byte for byte, and the same export must always say the same thing.
enum ReportOrder {
    /// By enrollment seq, then ID (founding admins share seq 0).
    static func userIDs(_ state: RecordsState) -> [String] {
        state.users.values.sorted { ($0.addedSeq, $0.id) < ($1.addedSeq, $1.id) }.map(\.id)
    }
}
