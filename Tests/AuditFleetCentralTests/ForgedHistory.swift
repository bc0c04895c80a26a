import AuditCore
import AuditCrypto
import AuditFleet
import AuditLedger
import AuditTesting

/// A history a compromised plant host could make with the plant's real log key: any
/// entries, a correct hash chain and tree, checkpoints signed by the real key, and proofs
/// computed over the forged tree. What the central must refuse and alarm on.
struct ForgedHistory {
    let origin: String
    private(set) var entries: [PushedEntry] = []
    private(set) var leaves: [Digest] = []

    init(origin: String, entries: [PushedEntry] = []) throws {
        self.origin = origin
        self.entries = entries
        try rechain(from: 0)
    }

    /// Appends a new entry chained to the last one.
    mutating func append(_ i: Int, time: String = "2030-01-01T00:00:00.000Z") throws {
        let draft = TestLedger.sampleDraft(i)
        let prev = leaves.last ?? Digest(bytes: [UInt8](repeating: 0, count: 32))!
        let entry = PushedEntry(seq: entries.count, time: time, kind: draft.kind, actor: draft.actor, subject: draft.subject,
                                payload: draft.payload.canonicalString(), prev: prev)
        entries.append(entry)
        leaves.append(try entry.leafHash())
    }

    /// Rewrites entry `seq`'s actor and re-chains everything after it.
    mutating func edit(seq: Int, actor: String) throws {
        entries[seq].actor = actor
        try rechain(from: seq)
    }

    /// Recomputes leaf hashes from `seq` and the `prev` of every later entry.
    private mutating func rechain(from seq: Int) throws {
        leaves = Array(leaves.prefix(seq))
        for i in seq..<entries.count {
            if i > 0 { entries[i].prev = leaves[i - 1].hex }
            leaves.append(try entries[i].leafHash())
        }
    }

    func root(size: Int) -> Digest { InMemoryMerkleTree.referenceRoot(leaves: Array(leaves.prefix(size))) }

    func checkpoint(size: Int, signer: NoteSigner) throws -> String {
        try SignedNote.sign(text: CheckpointBody(origin: origin, size: size, root: root(size: size)).text, signers: [signer])
    }

    /// A push of entries `old ..< size` with a consistency proof over this (forged) tree.
    func push(old: Int, size: Int, signer: NoteSigner) throws -> FleetPush {
        let proof = old == 0 || old == size ? [] : InMemoryMerkleTree.referenceConsistencyProof(oldSize: old, leaves: Array(leaves.prefix(size)))
        return FleetPush(origin: origin, old: old, proof: proof, checkpoint: try checkpoint(size: size, signer: signer),
                         entries: Array(entries[old..<size]))
    }
}
