import AuditLedger

extension FleetPushBuilder {
    /// The push of a checkpoint the central already holds, with no entries and an empty proof
    /// (C2SP tlog-witness: `old` equal to the checkpoint's size). The central answers it with a
    /// fresh cosignature: how a plant gets the cosignature of a push whose answer it lost.
    /// Nil when the plant stores no checkpoint of exactly that size.
    public static func resubmission(from store: LedgerStore, origin: String, size: Int) throws(LedgerError) -> FleetPush? {
        guard size > 0, let checkpoint = try store.checkpoints().last(where: { $0.size == size }) else { return nil }
        return FleetPush(origin: origin, old: size, proof: [], checkpoint: checkpoint.note, entries: [])
    }
}
