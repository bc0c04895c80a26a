import AuditCore
import AuditCrypto
import AuditLedger
import Foundation

/// Checks, straight from the central's database with SQL, that it mirrors a set of plants
/// exactly, and that each plant holds valid cosignatures: what the "Must show" asks
/// of every simulation and fault test. Returns problems as sentences (empty: all good).
struct MirrorAudit {
    let central: CentralFixture

    func problems(_ plants: [SimulatedPlant]) throws -> [String] {
        var problems: [String] = []
        let stored = try storedEntries()
        let counts = try central.sql("""
            SELECT origin, count(*), count(DISTINCT seq), coalesce(min(seq), -1), coalesce(max(seq), -1)
            FROM plant_entries GROUP BY origin
            """).reduce(into: [String: [Int]]()) { $0[$1[0]] = $1.dropFirst().compactMap { Int($0) } }
        let heads = try central.sql("SELECT origin, size, encode(root, 'hex'), alarm_count FROM plants")
            .reduce(into: [String: [String]]()) { $0[$1[0]] = Array($1.dropFirst()) }
        let checkpoints = try central.sql("SELECT origin, size, encode(root, 'hex'), note FROM plant_checkpoints ORDER BY origin, size")
        for plant in plants {
            let size = try plant.store.size()
            let origin = plant.origin
            // Count and seq set: exactly 0 ..< size, each once.
            let c = counts[origin] ?? [0, 0, -1, -1]
            if c != [size, size, size == 0 ? -1 : 0, size - 1] {
                problems.append("\(origin): count, distinct seqs, min, max are \(c); the plant has \(size) entries")
            }
            // Every stored row hashes to its stored leaf hash, chains, and equals the plant's.
            let rows = stored[origin] ?? []
            var roots = PrefixRoots()
            var previous = Digest(bytes: [UInt8](repeating: 0, count: 32))!
            try plant.store.forEachRow(fromSeq: 0, toSeq: max(0, size - 1)) { mine in
                guard mine.seq < rows.count else { return }
                let row = rows[mine.seq]
                guard row.seq == mine.seq else {
                    problems.append("\(origin): the central's row \(mine.seq) has seq \(row.seq)")
                    return
                }
                if row.recomputedLeaf != row.leaf { problems.append("\(origin) seq \(row.seq): stored leaf hash is not the hash of the stored columns") }
                if row.prev != previous { problems.append("\(origin) seq \(row.seq): prev does not chain") }
                if row.leaf != mine.hash { problems.append("\(origin) seq \(row.seq): differs from the plant's entry") }
                previous = row.leaf
                roots.append(row.leaf)
            }
            let plantRoot = try plant.store.root()
            if roots.size == size, roots.root != plantRoot { problems.append("\(origin): the root of the central's copy is not the plant's root") }
            if let head = heads[origin] {
                if head[0] != String(size) || head[1] != plantRoot.hex { problems.append("\(origin): plants row says size \(head[0]), root \(head[1])") }
                if head[2] != "0" { problems.append("\(origin): \(head[2]) alarms on an honest plant") }
            } else {
                problems.append("\(origin): not enrolled")
            }
            problems += try cosignatureProblems(plant, size: size)
        }
        problems += try checkpointProblems(checkpoints, plants: plants)
        problems += try witnessProblems()
        let alarms = try central.count("SELECT count(*) FROM alarms"), evidence = try central.count("SELECT count(*) FROM evidence")
        if alarms + evidence > 0 { problems.append("\(alarms) alarms and \(evidence) evidence rows after honest pushes") }
        return problems
    }

    /// Every checkpoint the central stored verifies with its plant's key and names the root
    /// the plant's own tree has at that size.
    private func checkpointProblems(_ rows: [[String]], plants: [SimulatedPlant]) throws -> [String] {
        var problems: [String] = []
        let byOrigin = Dictionary(uniqueKeysWithValues: plants.map { ($0.origin, $0) })
        for row in rows {
            guard let plant = byOrigin[row[0]], let size = Int(row[1]) else { continue }
            do {
                let body = try NoteCheckpointVerifier(key: plant.key).open(note: row[3])
                if body.size != size || body.root.hex != row[2] || body.origin != plant.origin {
                    problems.append("\(row[0]) checkpoint \(size): columns disagree with the signed note")
                }
                if try plant.store.root(size: size) != body.root {
                    problems.append("\(row[0]) checkpoint \(size): not the plant's root at that size")
                }
            } catch {
                problems.append("\(row[0]) checkpoint \(size): does not verify with the plant's key: \(error)")
            }
        }
        return problems
    }

    /// Every cosignature the plant stored verifies with the central's witness key, and the
    /// newest covers the whole ledger.
    private func cosignatureProblems(_ plant: SimulatedPlant, size: Int) throws -> [String] {
        var problems: [String] = []
        let sizes = try plant.store.cosignedSizes(limit: 1_000_000)
        if size > 0, sizes.first != size { problems.append("\(plant.origin): newest cosigned size \(sizes.first ?? 0), ledger size \(size)") }
        for cosigned in sizes {
            guard let checkpoint = try plant.store.checkpoint(size: cosigned) else {
                problems.append("\(plant.origin): a cosignature of size \(cosigned) but no such checkpoint")
                continue
            }
            let text = try Cosignature.split(note: checkpoint.note).text
            let lines = try plant.store.cosignatures(size: cosigned).filter { $0.witness == central.witnessKey }
            for line in lines {
                let verified = try? Cosignature.verify(checkpointText: text, signatureLines: line.line + "\n", witnesses: [central.witnessKey])
                if verified?.count != 1 { problems.append("\(plant.origin): cosignature of size \(cosigned) does not verify with the witness key") }
            }
            if lines.isEmpty { problems.append("\(plant.origin): size \(cosigned) listed as cosigned without a witness cosignature") }
        }
        return problems
    }

    /// Every cosignature the central recorded issuing verifies over the checkpoint it names.
    private func witnessProblems() throws -> [String] {
        var problems: [String] = []
        for row in try central.sql("SELECT origin, size, encode(root, 'hex'), cosigned_at, line FROM cosignatures") {
            guard let size = Int(row[1]), let root = Digest(hex: row[2]) else { problems.append("cosignatures row \(row) malformed"); continue }
            let text = CheckpointBody(origin: row[0], size: size, root: root).text
            let line = row[4].hasSuffix("\n") ? row[4] : row[4] + "\n"
            let verified = try? Cosignature.verify(checkpointText: text, signatureLines: line, witnesses: [central.witnessKey])
            if verified?.count != 1 || verified.map({ String($0[0].timestamp) }) != row[3] {
                problems.append("\(row[0]) size \(size): the central's recorded cosignature does not verify")
            }
        }
        return problems
    }

    struct StoredRow {
        let seq: Int
        let prev: Digest
        let leaf: Digest
        let recomputedLeaf: Digest
    }

    /// The central's rows per origin, in seq order, with each leaf hash recomputed from the
    /// stored columns.
    private func storedEntries() throws -> [String: [StoredRow]] {
        let rows = try central.sql("""
            SELECT origin, seq, time, kind, actor, subject, payload, encode(prev, 'hex'), encode(leaf_hash, 'hex')
            FROM plant_entries ORDER BY origin, seq
            """)
        var out: [String: [StoredRow]] = [:]
        for r in rows {
            guard let seq = Int(r[1]), let prev = Digest(hex: r[7]), let leaf = Digest(hex: r[8]) else { continue }
            let recomputed = SHA256.hash(EntryEncoding.leafInput(seq: seq, time: r[2], kind: r[3], actor: r[4], subject: r[5],
                                                                 canonicalPayload: r[6], prev: prev))
            out[r[0], default: []].append(StoredRow(seq: seq, prev: prev, leaf: leaf, recomputedLeaf: recomputed))
        }
        return out
    }
}
