import AuditBundle
import AuditCore
import AuditCrypto
import AuditLedger
import AuditTesting

/// A ledger in memory: entries chained like the real store, proofs from the RFC reference
/// recursion in AuditTesting, checkpoints signed as C2SP notes. Lets tests build proofs from
/// another log, forks and stale checkpoints that a real store would never produce.
struct FakeLog {
    let origin: String
    let signer: NoteSigner
    private(set) var entries: [Entry] = []

    init(origin: String = "factory.example/ledger") throws {
        self.origin = origin
        signer = try NoteSigner(name: origin, privateKey: Ed25519PrivateKey.generate())
        append(kind: "ledger.created", actor: "system", subject: "", payload: .object(["origin": .string(origin)]))
    }

    var leaves: [Digest] { entries.map { MerkleHash.leaf($0.canonicalBytes) } }

    @discardableResult
    mutating func append(kind: String, actor: String, subject: String, payload: JSONValue,
                         time: String = "2026-03-01T10:00:00.000Z") -> Entry {
        let prev = entries.last.map { MerkleHash.leaf($0.canonicalBytes) } ?? .zero
        let e = Entry(seq: entries.count, time: time, kind: kind, actor: actor, subject: subject, payload: payload, prev: prev)
        entries.append(e)
        return e
    }

    func checkpoint(size: Int) throws -> String {
        let root = InMemoryMerkleTree.referenceRoot(leaves: Array(leaves.prefix(size)))
        return try SignedNote.sign(text: CheckpointBody(origin: origin, size: size, root: root).text, signers: [signer])
    }

    func root(size: Int) -> Digest { InMemoryMerkleTree.referenceRoot(leaves: Array(leaves.prefix(size))) }

    func proof(seq: Int, size: Int? = nil, consistencyFrom: [Int] = []) throws -> ApprovalProof {
        let n = size ?? entries.count
        let prefix = Array(leaves.prefix(n))
        let steps = consistencyFrom.map {
            ApprovalProof.ConsistencyStep(fromSize: $0, path: InMemoryMerkleTree.referenceConsistencyProof(oldSize: $0, leaves: prefix))
        }
        return ApprovalProof(entry: entries[seq], treeSize: n,
                             inclusionPath: InMemoryMerkleTree.referenceInclusionProof(index: seq, leaves: prefix),
                             checkpoint: try checkpoint(size: n), consistency: steps)
    }

    var trustLog: TrustRoot.Log { TrustRoot.Log(origin: origin, key: signer.verifierKey) }
}
