import AuditCore
import AuditCrypto
import Foundation

/// Why a checkpoint's witness cosignatures cannot be counted.
public enum WitnessFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A line from a trusted witness key does not verify: the cosignature or the checkpoint
    /// was altered (a forgery is not ignored like an unknown witness's line).
    case invalid(String)
    /// A trusted witness's cosignature is dated later than this edge's clock allows.
    case future(String)
    /// The note cannot be read as a signed note.
    case malformed(String)

    public var description: String {
        switch self {
        case .invalid(let m), .future(let m), .malformed(let m): return m
        }
    }
}

/// Reads witness cosignatures (c2sp.org/tlog-cosignature) carried as extra signature lines
/// on a checkpoint note, as bundles, sync files and the edge state carry them.
public enum WitnessCosignatures {
    /// The trusted witnesses' cosignatures on `note`, each verified over the note's text. Lines
    /// from keys the trust root does not name are ignored (they neither count nor harm); a
    /// trusted key's line that does not verify, or is dated more than `tolerance` seconds
    /// after `now`, fails the whole note.
    public static func verified(note: String, witnesses: [CosignerKey], now: Date,
                                tolerance: Double) throws(WitnessFailure) -> [VerifiedCosignature] {
        guard !witnesses.isEmpty else { return [] }
        let parts: (text: String, signatures: String)
        do { parts = try Cosignature.split(note: note) } catch { throw .malformed("the checkpoint is not a signed note: \(error)") }
        let found: [VerifiedCosignature]
        do {
            found = try Cosignature.verify(checkpointText: parts.text, signatureLines: parts.signatures, witnesses: witnesses)
        } catch {
            if case let .invalidSignature(name, _) = error {
                throw .invalid("the cosignature by witness '\(name)' does not verify over this checkpoint: the cosignature or the checkpoint was altered")
            }
            throw .malformed("the checkpoint's signature lines cannot be read: \(error)")
        }
        let latest = now.timeIntervalSince1970 + tolerance
        if let early = found.first(where: { Double($0.timestamp) > latest }) {
            throw .future("the cosignature by witness '\(early.key.name)' is dated \(UTCTime.format(Date(timeIntervalSince1970: Double(early.timestamp)))), "
                + "more than \(Int(tolerance)) s after this edge's clock (\(UTCTime.format(now))): refused")
        }
        return found
    }

    /// Distinct witness names among `cosignatures`: a witness listed with two keys (a
    /// rotation) counts once toward the quorum.
    public static func names(_ cosignatures: [VerifiedCosignature]) -> [String] {
        var seen: [String] = []
        for c in cosignatures where !seen.contains(c.key.name) { seen.append(c.key.name) }
        return seen
    }

    /// `note` reduced to its text, the log key's signature and the given cosignature lines:
    /// what an edge keeps, bounded whatever else the note carried.
    public static func reduced(note: String, logKey: NoteVerifierKey, keeping cosignatures: [VerifiedCosignature]) -> String? {
        guard let parts = try? Cosignature.split(note: note) else { return nil }
        let keep = Set(cosignatures.map(\.line))
        let lines = parts.signatures.split(separator: "\n").filter { line in
            keep.contains(String(line)) || isSignature(line, by: logKey)
        }
        return parts.text + "\n" + lines.map { $0 + "\n" }.joined()
    }

    /// Whether a signature line names `key` (its name and key hash).
    static func isSignature(_ line: Substring, by key: NoteVerifierKey) -> Bool {
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[0] == "—", parts[1] == key.name,
              let raw = Base64.decode(String(parts[2])), raw.count >= 4 else { return false }
        return UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3]) == key.keyHash
    }
}
