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

    /// `withRoots`: each consistency step names its `fromRoot`, as the ledger writes them.
    func proof(seq: Int, size: Int? = nil, consistencyFrom: [Int] = [], withRoots: Bool = false) throws -> ApprovalProof {
        let n = size ?? entries.count
        let steps = consistencySteps(to: n, from: consistencyFrom, withRoots: withRoots)
        return ApprovalProof(entry: entries[seq], treeSize: n,
                             inclusionPath: InMemoryMerkleTree.referenceInclusionProof(index: seq, leaves: Array(leaves.prefix(n))),
                             checkpoint: try checkpoint(size: n), consistency: steps)
    }

    func consistencySteps(to n: Int, from sizes: [Int], withRoots: Bool = true) -> [ApprovalProof.ConsistencyStep] {
        let prefix = Array(leaves.prefix(n))
        return sizes.map {
            ApprovalProof.ConsistencyStep(fromSize: $0, fromRoot: withRoots ? root(size: $0) : nil,
                                          path: InMemoryMerkleTree.referenceConsistencyProof(oldSize: $0, leaves: prefix))
        }
    }

    var trustLog: TrustRoot.Log { TrustRoot.Log(origin: origin, key: signer.verifierKey) }
}
