import AuditCore
import AuditFleet
import Foundation

/// A push body checked for everything that needs no database: JSON shape, format tag,
/// bounds, contiguous seqs from `old`, canonical payloads and the recomputed leaf hashes.
/// What it refuses is a 400 naming the field; nothing is stored.
struct PushRequest: Sendable {
    let push: FleetPush
    let proof: [Digest]
    /// Leaf hash and parsed `prev` of `push.entries[i]`.
    let leaves: [Digest]
    let prevs: [Digest]
    /// The body exactly as received (kept verbatim as evidence if the push is refused).
    let body: [UInt8]

    enum Invalid: Error {
        case field(String, String)
    }

    static func parse(_ body: [UInt8]) throws(Invalid) -> PushRequest {
        guard body.count <= FleetPush.maxBodyBytes else {
            throw .field("(body)", "larger than \(FleetPush.maxBodyBytes) bytes")
        }
        let push = try PushDecoding.decode(body)
        guard push.format == FleetPush.formatTag else { throw .field("format", "must be \(FleetPush.formatTag)") }
        guard !push.origin.isEmpty, !push.origin.contains("\n") else { throw .field("origin", "must be one non-empty line") }
        guard push.old >= 0 else { throw .field("old", "must not be negative") }
        guard push.entries.count <= FleetPush.maxEntries else {
            throw .field("entries", "\(push.entries.count) entries; at most \(FleetPush.maxEntries) per push")
        }
        guard push.checkpoint.utf8.count <= Limits.maxSignedNoteBytes else { throw .field("checkpoint", "too large") }
        let proof: [Digest]
        do { proof = try push.proofDigests() } catch {
            guard case let .malformed(field, reason) = error else { throw .field("proof", "\(error)") }
            throw .field(field, reason)
        }
        var leaves: [Digest] = [], prevs: [Digest] = []
        leaves.reserveCapacity(push.entries.count)
        prevs.reserveCapacity(push.entries.count)
        for (i, entry) in push.entries.enumerated() {
            guard entry.seq == push.old + i else {
                throw .field("entries[\(i)].seq", "is \(entry.seq); entries must be exactly old ..< checkpoint size, in order (expected \(push.old + i))")
            }
            try checkStorable(entry, index: i)
            guard let prev = Digest(hex: entry.prev) else { throw .field("entries[seq \(entry.seq)].prev", "not 64 hex digits") }
            prevs.append(prev)
            do { leaves.append(try EntryLeaf.hash(entry, prev: prev)) } catch {
                guard case let .malformed(field, reason) = error else { throw .field("entries[\(i)]", "\(error)") }
                throw .field(field, reason)
            }
        }
        return PushRequest(push: push, proof: proof, leaves: leaves, prevs: prevs, body: body)
    }

    /// Bounds the plant's own ledger enforces on append (`Limits`), and no NUL character,
    /// which PostgreSQL text cannot hold: no honest plant entry violates them.
    private static func checkStorable(_ e: PushedEntry, index i: Int) throws(Invalid) {
        let fields: [(String, String, Int)] = [
            ("kind", e.kind, Limits.maxKindBytes), ("actor", e.actor, Limits.maxIdentifierBytes),
            ("subject", e.subject, Limits.maxIdentifierBytes), ("payload", e.payload, Limits.maxEntryPayloadBytes),
            ("time", e.time, 64),
        ]
        for (name, value, limit) in fields {
            var text = value
            let (count, hasNUL) = text.withUTF8 { ($0.count, $0.contains(0)) }
            guard count <= limit else { throw .field("entries[\(i)].\(name)", "longer than \(limit) bytes") }
            guard !hasNUL else { throw .field("entries[\(i)].\(name)", "contains a NUL character") }
        }
    }
}
