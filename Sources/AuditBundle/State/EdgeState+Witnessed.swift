import AuditCore
import AuditCrypto

extension EdgeState {
    /// A checkpoint of the trusted log with witness cosignatures, as an edge keeps it: the
    /// signed note reduced to the log's signature and the cosignatures that verified under
    /// the trust root when it arrived. They are verified again at every use, under the trust
    /// root of that moment.
    public struct WitnessedCheckpoint: Sendable, Equatable {
        public let size: Int
        public let root: Digest
        public let note: String
        public init(size: Int, root: Digest, note: String) {
            self.size = size
            self.root = root
            self.note = note
        }
    }

    /// Keeps `checkpoint` (already verified and remembered in `checkpoints`). The same
    /// checkpoint again gains the signature lines it did not have; the largest sizes are kept
    /// (`Limits.edgeWitnessedCheckpoints`), since a later witnessed checkpoint vouches for
    /// every prefix of it.
    public mutating func rememberWitnessed(_ checkpoint: WitnessedCheckpoint) {
        if let i = witnessed.firstIndex(where: { $0.size == checkpoint.size }) {
            guard witnessed[i].root == checkpoint.root else { return }
            witnessed[i] = WitnessedCheckpoint(size: checkpoint.size, root: checkpoint.root,
                                               note: Self.merged(witnessed[i].note, checkpoint.note))
            return
        }
        let at = witnessed.firstIndex { $0.size < checkpoint.size } ?? witnessed.endIndex
        witnessed.insert(checkpoint, at: at)
        if witnessed.count > Limits.edgeWitnessedCheckpoints { witnessed.removeLast(witnessed.count - Limits.edgeWitnessedCheckpoints) }
    }

    /// `old` with the signature lines of `new` it lacks (both notes of one checkpoint text).
    static func merged(_ old: String, _ new: String) -> String {
        guard let a = try? Cosignature.split(note: old), let b = try? Cosignature.split(note: new), a.text == b.text else { return old }
        let have = Set(a.signatures.split(separator: "\n"))
        let extra = b.signatures.split(separator: "\n").filter { !have.contains($0) }
        guard a.signatures.split(separator: "\n").count + extra.count <= Limits.maxSignedNoteSignatures else { return old }
        return old + extra.map { $0 + "\n" }.joined()
    }
}
