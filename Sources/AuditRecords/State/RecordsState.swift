import AuditCore
import AuditLedger
import AuditCrypto
import AuditPolicy
import Foundation

/// People, keys, changes and the recorded approval policy, as of one ledger size.
/// Built by replaying every entry in order (`fold`); there is no other source of truth.
/// Every entry that creates or changes authority is believed only when its authority
/// signature verifies under a key its actor held, with the power it claims, at its seq
/// (`RecordsState+Authority`); an entry that fails has no effect and is a `problem`.
public struct RecordsState: Sendable {
    public internal(set) var users: [String: UserRecord] = [:]
    public internal(set) var changes: [String: ChangeRecord] = [:]
    /// The approval policy in force (recorded and confirmed), its digest and the seq of
    /// the `policy.updated` entry that recorded it.
    public internal(set) var policy: ApprovalPolicy?
    public internal(set) var policyDigest: Digest?
    public internal(set) var policySeq: Int?
    /// Policies recorded but still waiting for admin confirmations, by the seq that recorded them.
    public internal(set) var pendingPolicies: [Int: PendingPolicy] = [:]
    /// The log's public key from `ledger.created`: signs entries auditctl writes on its own behalf.
    public internal(set) var logKey: Ed25519PublicKey?
    /// Every `waiver.granted` entry, each marked whether it counts (RecordsState+Waivers).
    public internal(set) var waiverRecords: [WaiverRecord] = []
    /// Every deployment decision uploaded from an edge, with its verdict.
    public internal(set) var deployments: [DeploymentRecord] = []
    /// Highest decision counter seen per edge (a replayed or reordered decision is refused).
    var edgeCounters: [String: Int] = [:]
    /// Entries that do not make sense (hand-written, forged, out of order), with the reason.
    public internal(set) var problems: [RecordsProblem] = []
    /// Problem seqs an admin acknowledged after investigating, with the acknowledging entry's seq.
    public internal(set) var acknowledged: [Int: Int] = [:]
    /// Entries whose time looks wrong but that are otherwise valid (e.g. future-dated).
    public internal(set) var notices: [RecordsProblem] = []
    /// Number of entries folded.
    public internal(set) var size = 0

    public init() {}

    /// Lockout, password, clock and confirmation rules in force: the recorded policy's, or
    /// the built-in defaults before any policy is in force.
    public var security: SecurityParameters { policy?.security ?? SecurityParameters() }

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

    /// Problems nobody has acknowledged yet: while there is one, no command acts on this state.
    public var openProblems: [RecordsProblem] { problems.filter { acknowledged[$0.seq] == nil } }

    /// Enrollment order; the founding admins (all at seq 0) by ID, so listings never depend on dictionary order.
    public var userIDsInOrder: [String] { users.values.sorted { ($0.addedSeq, $0.id) < ($1.addedSeq, $1.id) }.map(\.id) }
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

/// An approval policy recorded by one admin, waiting for others to confirm it.
public struct PendingPolicy: Sendable, Equatable {
    public let seq: Int
    public let policy: ApprovalPolicy
    public let recordedBy: String
    public internal(set) var confirmedBy: [String] = []
}

/// One `deployment.verified` / `deployment.blocked` entry as the replay found it.
public struct DeploymentRecord: Sendable, Equatable {
    public let seq: Int
    public let edge: String
    public let verified: Bool
    public let record: JSONValue
    /// Nil when the edge's signature and counter hold.
    public let problem: String?
}
