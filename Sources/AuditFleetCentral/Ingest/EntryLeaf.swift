import AuditCore
import AuditCrypto
import AuditFleet
import AuditLedger

/// The leaf hash of a pushed entry, with the checks of `PushedEntry.leafHash()` (a payload
/// in RFC 8785 form, an entry time in the ledger's form) but reusing the `prev` already
/// parsed, and proving most payloads canonical in one pass (`CanonicalCheck`) before
/// falling back to parse-and-reserialize: ingest runs this for every entry.
enum EntryLeaf {
    static func hash(_ e: PushedEntry, prev: Digest) throws(FleetProtocolError) -> Digest {
        if !CanonicalCheck.isCanonical(e.payload) { try checkCanonical(e) }
        guard EntryTime.millis(e.time) != nil else {
            throw .malformed(field: "entries[seq \(e.seq)].time", reason: "not YYYY-MM-DDTHH:MM:SS.mmmZ")
        }
        return SHA256.hash(EntryEncoding.leafInput(seq: e.seq, time: e.time, kind: e.kind, actor: e.actor, subject: e.subject,
                                                   canonicalPayload: e.payload, prev: prev))
    }

    /// The full check: parse, re-serialize, compare bytes (not `String ==`, which would
    /// accept another Unicode normalization of the same text).
    static func checkCanonical(_ e: PushedEntry) throws(FleetProtocolError) {
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(Array(e.payload.utf8), source: "entry \(e.seq) payload")
        } catch {
            throw .malformed(field: "entries[seq \(e.seq)].payload", reason: "not JSON: \(error)")
        }
        guard parsed.canonicalBytes().elementsEqual(e.payload.utf8) else {
            throw .malformed(field: "entries[seq \(e.seq)].payload", reason: "not RFC 8785 canonical text")
        }
    }
}
