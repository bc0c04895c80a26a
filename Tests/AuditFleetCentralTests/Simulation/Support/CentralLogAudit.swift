import AuditCore
import AuditCrypto
import AuditLedger
import Foundation

/// Checks the central's own log as a regulator holding its log key would: entries hash and
/// chain, every signed checkpoint verifies and names the root of its prefix, the service's
/// consistency proofs between checkpoints verify, and every plant checkpoint and alarm the
/// central stored is recorded in its log. Returns problems as sentences (empty: all good).
struct CentralLogAudit {
    let central: CentralFixture
    /// Checkpoint pairs whose consistency proof is fetched over HTTP (the first → newest is always one).
    var proofSamples = 24

    func problems() throws -> [String] {
        var problems: [String] = []
        let entries = try central.sql("""
            SELECT seq, time, kind, actor, subject, payload, encode(prev, 'hex'), encode(leaf_hash, 'hex')
            FROM central_entries ORDER BY seq
            """)
        var leaves: [Digest] = []
        var previous = Digest(bytes: [UInt8](repeating: 0, count: 32))!
        var lastTime = ""
        var byKind: [Int: (kind: String, payload: String)] = [:]
        for (i, r) in entries.enumerated() {
            guard Int(r[0]) == i, let prev = Digest(hex: r[6]), let leaf = Digest(hex: r[7]) else {
                problems.append("central entry \(i): missing or malformed (\(r.prefix(2)))")
                break
            }
            let recomputed = SHA256.hash(EntryEncoding.leafInput(seq: i, time: r[1], kind: r[2], actor: r[3], subject: r[4],
                                                                 canonicalPayload: r[5], prev: prev))
            if recomputed != leaf { problems.append("central entry \(i): leaf hash is not the hash of its columns") }
            if prev != previous { problems.append("central entry \(i): prev does not chain") }
            if r[1] < lastTime { problems.append("central entry \(i): time \(r[1]) goes back from \(lastTime)") }
            previous = leaf
            lastTime = r[1]
            leaves.append(leaf)
            byKind[i] = (r[2], r[5])
        }

        let checkpoints = try central.sql("SELECT size, encode(root, 'hex'), note FROM central_checkpoints ORDER BY size")
        var roots = PrefixRoots()
        var signed: [(size: Int, root: Digest)] = []
        for r in checkpoints {
            guard let size = Int(r[0]), size <= leaves.count else { problems.append("central checkpoint \(r[0]): beyond the log"); continue }
            while roots.size < size { roots.append(leaves[roots.size]) }
            do {
                let body = try NoteCheckpointVerifier(key: central.logKey).open(note: r[2])
                if body.size != size || body.root.hex != r[1] { problems.append("central checkpoint \(size): columns disagree with the note") }
                if body.root != roots.root { problems.append("central checkpoint \(size): root is not the root of the first \(size) entries") }
                signed.append((size, body.root))
            } catch {
                problems.append("central checkpoint \(size): does not verify with the central's log key: \(error)")
            }
        }
        if signed.last?.size != leaves.count { problems.append("the newest central checkpoint does not cover all \(leaves.count) entries") }
        problems += try consistencyProblems(signed)

        // Nothing the central stored for a plant is missing from its log.
        for r in try central.sql("SELECT origin, size, note, central_seq FROM plant_checkpoints") {
            let logged = Int(r[3]).flatMap { byKind[$0] }
            let payload = logged.flatMap { try? JSONValue.parse($0.payload) }
            if logged?.kind != "plant.checkpoint" || payload?["checkpoint"]?.stringValue != r[2] || payload?["origin"]?.stringValue != r[0] {
                problems.append("\(r[0]) checkpoint \(r[1]): central log entry \(r[3]) does not record it")
            }
        }
        for r in try central.sql("SELECT id, origin, central_seq FROM alarms") where Int(r[2]).flatMap({ byKind[$0] })?.kind != "alarm.raised" {
            problems.append("alarm \(r[0]) of \(r[1]): central log entry \(r[2]) is not alarm.raised")
        }
        return problems
    }

    /// RFC 9162 consistency proofs from the service (`GET /fleet/v1/log/proof/consistency`)
    /// between sampled checkpoint pairs, verified against the signed roots.
    private func consistencyProblems(_ signed: [(size: Int, root: Digest)]) throws -> [String] {
        guard signed.count >= 2 else { return [] }
        var pairs = [(signed[0], signed[signed.count - 1])]
        for _ in 0..<proofSamples {
            let a = Int.random(in: 0..<signed.count - 1)
            let b = Int.random(in: a + 1..<signed.count)
            pairs.append((signed[a], signed[b]))
        }
        var problems: [String] = []
        for (old, new) in pairs {
            let answer = try central.get("/fleet/v1/log/proof/consistency?from=\(old.size)&to=\(new.size)")
            guard answer.status == 200, let json = try? JSONValue.parse(answer.body),
                  let proof = json["proof"]?.arrayValue?.compactMap({ $0.stringValue.flatMap { Base64.decode($0) }.flatMap { Digest(bytes: $0) } }) else {
                problems.append("consistency \(old.size) → \(new.size): HTTP \(answer.status) \(answer.text.prefix(200))")
                continue
            }
            do {
                try MerkleVerifier.verifyConsistency(oldSize: old.size, newSize: new.size, oldRoot: old.root, newRoot: new.root, proof: proof)
            } catch {
                problems.append("consistency \(old.size) → \(new.size): the service's proof does not verify: \(error)")
            }
        }
        return problems
    }
}
