import AuditCore
import AuditPolicy
import Foundation

/// One `waiver.granted` entry as the replay found it. Every entry is kept (nothing is
/// hidden); only one without a `problem` is a waiver the zone engine receives.
public struct WaiverRecord: Sendable, Equatable {
    public let seq: Int
    /// Ledger time of the entry.
    public let recordedAt: String
    public let statement: WaiverStatement?
    public let signature: [UInt8]
    public let keyID: Digest?
    /// Why the entry does not count, e.g. the signature does not verify; nil when it counts.
    public let problem: String?

    public var counts: Bool { problem == nil }

    /// The engine's view: fingerprint, reason, expiry and the signer's manifestation
    /// `Printed Name (id)`. Nil for an entry that does not count.
    public var waiver: Waiver? {
        guard problem == nil, let statement, let expires = statement.expiryDate else { return nil }
        return Waiver(findingID: statement.findingID, reason: statement.reason, expiresAt: expires,
                      waivedBy: "\(statement.printedName) (\(statement.waivedBy))")
    }
}

extension RecordsState {
    /// Waivers that count, in ledger order, expired ones included: the engine reports an
    /// expired waiver and leaves its finding open.
    public var waivers: [Waiver] { waiverRecords.compactMap(\.waiver) }
}
