import AuditCore
import AuditCrypto
import AuditLedger
import Foundation

/// One push from a plant to the central fleet service (`POST /fleet/v1/push`, JSON):
/// the entries after the central's last size, the plant's newest signed checkpoint, and
/// the RFC 9162 consistency proof from the central's size to it. The witness part follows
/// c2sp.org/tlog-witness `add-checkpoint` (same `old` rule, same 409/422/403/404 answers);
/// the entries make the central a mirror, so it can recompute the root and refuse a plant
/// whose entries do not hash to the checkpoint it signed. Docs/fleet.md.
public struct FleetPush: Codable, Sendable, Equatable {
    public static let formatTag = "auditctl-fleet-push/v1"
    /// Upper bounds the central enforces before parsing further (and the plant respects).
    public static let maxEntries = 10_000
    public static let maxBodyBytes = 64 * 1024 * 1024
    /// tlog-witness: a client MUST NOT send more than 63 consistency proof lines.
    public static let maxProofHashes = 63

    public var format: String
    /// The plant's origin line; must equal the checkpoint's.
    public var origin: String
    /// The size the plant believes the central holds (C2SP `old`).
    public var old: Int
    /// Consistency proof from `old` to the checkpoint's size, base64 hashes; empty when `old` is 0.
    public var proof: [String]
    /// The plant's C2SP signed-note checkpoint, signed by its log key.
    public var checkpoint: String
    /// Exactly the entries `old ..< checkpoint size`, in seq order.
    public var entries: [PushedEntry]

    public init(origin: String, old: Int, proof: [Digest], checkpoint: String, entries: [PushedEntry]) {
        self.format = Self.formatTag
        self.origin = origin
        self.old = old
        self.proof = proof.map { Base64.encode($0.bytes) }
        self.checkpoint = checkpoint
        self.entries = entries
    }

    /// The proof hashes, or a message naming the bad one.
    public func proofDigests() throws(FleetProtocolError) -> [Digest] {
        guard proof.count <= Self.maxProofHashes else { throw .malformed(field: "proof", reason: "more than \(Self.maxProofHashes) hashes") }
        return try proof.enumerated().map { (i, text) throws(FleetProtocolError) -> Digest in
            guard let raw = Base64.decode(text), let d = Digest(bytes: raw) else {
                throw .malformed(field: "proof[\(i)]", reason: "not base64 of 32 bytes")
            }
            return d
        }
    }
}

/// One ledger entry as pushed: its columns exactly as the plant hashed them. The payload
/// travels as its RFC 8785 text so no re-encoding can change a byte of what was hashed.
public struct PushedEntry: Codable, Sendable, Equatable {
    public var seq: Int
    public var time: String
    public var kind: String
    public var actor: String
    public var subject: String
    /// RFC 8785 text of the payload, as stored and hashed by the plant.
    public var payload: String
    /// Lowercase hex of the previous entry's leaf hash (zeros for seq 0).
    public var prev: String

    public init(seq: Int, time: String, kind: String, actor: String, subject: String, payload: String, prev: Digest) {
        self.seq = seq
        self.time = time
        self.kind = kind
        self.actor = actor
        self.subject = subject
        self.payload = payload
        self.prev = prev.hex
    }

    /// The RFC 9162 leaf hash, after checking the fields are what a ledger could have
    /// written: a canonical payload (re-serializing it gives the same bytes) and a 32-byte prev.
    public func leafHash() throws(FleetProtocolError) -> Digest {
        guard let prevDigest = Digest(hex: prev) else { throw .malformed(field: "entries[seq \(seq)].prev", reason: "not 64 hex digits") }
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(Array(payload.utf8), source: "entry \(seq) payload")
        } catch {
            throw .malformed(field: "entries[seq \(seq)].payload", reason: "not JSON: \(error)")
        }
        guard parsed.canonicalString() == payload else {
            throw .malformed(field: "entries[seq \(seq)].payload", reason: "not RFC 8785 canonical text")
        }
        guard EntryTime.millis(time) != nil else {
            throw .malformed(field: "entries[seq \(seq)].time", reason: "not YYYY-MM-DDTHH:MM:SS.mmmZ")
        }
        return SHA256.hash(EntryEncoding.leafInput(seq: seq, time: time, kind: kind, actor: actor, subject: subject,
                                                   canonicalPayload: payload, prev: prevDigest))
    }

    /// The parsed entry (payload already validated by `leafHash()`).
    public func entry() throws(FleetProtocolError) -> Entry {
        guard let prevDigest = Digest(hex: prev) else { throw .malformed(field: "entries[seq \(seq)].prev", reason: "not 64 hex digits") }
        do {
            let parsed = try JSONValue.parse(Array(payload.utf8), source: "entry \(seq) payload")
            return Entry(seq: seq, time: time, kind: kind, actor: actor, subject: subject, payload: parsed, prev: prevDigest)
        } catch {
            throw .malformed(field: "entries[seq \(seq)].payload", reason: "not JSON: \(error)")
        }
    }
}

/// The central's answers, as the plant reads them.
public enum FleetPushOutcome: Sendable, Equatable {
    /// 200: the central stored the entries and cosigned; `cosignatures` are note signature lines.
    case cosigned(size: Int, cosignatures: String)
    /// 409 `text/x.tlog.size`: the central holds `size` entries; push again from there.
    case conflict(centralSize: Int)
}

public enum FleetProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(field: String, reason: String)

    public var description: String {
        switch self {
        case let .malformed(field, reason): return "push field \(field): \(reason)"
        }
    }
}
