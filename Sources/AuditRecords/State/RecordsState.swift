import AuditCore
import AuditLedger
import AuditCrypto
import Foundation

/// People, keys, changes and the recorded approval policy, as of one ledger size.
/// Built by replaying every entry in order (`fold`); there is no other source of truth.
public struct RecordsState: Sendable {
    public internal(set) var users: [String: UserRecord] = [:]
    public internal(set) var changes: [String: ChangeRecord] = [:]
    /// The approval policy in force: digest of the last `policy.updated` for it.
    public internal(set) var policyDigest: Digest?
    public internal(set) var policySeq: Int?
    /// Every `waiver.granted` entry, each marked whether it counts (RecordsState+Waivers).
    public internal(set) var waiverRecords: [WaiverRecord] = []
    /// Entries that do not make sense (hand-written, forged, out of order), with the reason.
    public internal(set) var problems: [RecordsProblem] = []
    /// Number of entries folded.
    public internal(set) var size = 0

    public init() {}

    /// Replays `entries` (all of them, in seq order).
    public static func fold(_ entries: [Entry]) -> RecordsState {
        var state = RecordsState()
        for entry in entries { state.apply(entry) }
        return state
    }

    /// Folds only the entries records read (through the kind index), so commands and audits
    /// stay fast on a ledger with millions of other entries; `size` is the whole ledger's.
    public static func fold(store: LedgerStore) throws(LedgerError) -> RecordsState {
        let size = try store.size()
        var state = fold(try store.entries(EntryFilter(kinds: foldedKinds, toSeq: size - 1)))
        state.size = size
        return state
    }

    public var userIDsInOrder: [String] { users.values.sorted { $0.addedSeq < $1.addedSeq }.map(\.id) }
    public var changesInOrder: [ChangeRecord] { changes.values.sorted { $0.versions[0].seq < $1.versions[0].seq } }

    mutating func note(_ entry: Entry, _ message: String) {
        problems.append(RecordsProblem(seq: entry.seq, kind: entry.kind, message: message))
    }
}

/// An entry the replay could not use, e.g. a forged signature or an approval no signature supports.
public struct RecordsProblem: Sendable, Equatable, CustomStringConvertible {
    public let seq: Int
    public let kind: String
    public let message: String
    public var description: String { "seq \(seq) (\(kind)): \(message)" }
}
