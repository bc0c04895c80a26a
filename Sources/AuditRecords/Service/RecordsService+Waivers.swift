import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

/// What an OT security engineer accepts: one zone finding, named by its fingerprint, with a
/// reason, until a date; optionally the digest of the topology file it was seen in.
public struct WaiverRequest: Sendable {
    public var findingID: String
    public var reason: String
    public var expiresAt: Date
    public var topologyDigest: Digest?

    public init(findingID: String, reason: String, expiresAt: Date, topologyDigest: Digest? = nil) {
        self.findingID = findingID
        self.reason = reason
        self.expiresAt = expiresAt
        self.topologyDigest = topologyDigest
    }
}

extension RecordsService {
    /// Appends `waiver.granted`: the user's Ed25519 signature over a `WaiverStatement`.
    /// Order of checks as for `sign`: the request itself (nothing written if it is off),
    /// then ID + password (failures recorded, counted toward lockout), then the rules
    /// (role, admin, key), which refuse without writing anything.
    @discardableResult
    public func grantWaiver(_ request: WaiverRequest, as waiver: Credentials) async throws(RecordsError) -> WaiverRecord {
        try validateWaiver(request)
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        let user = try await authenticate(waiver, in: state, operation: "waive \(request.findingID)")
        let now = clock()
        try requireReadyToAct(user, now: now, security: state.security)
        guard !user.isAdmin else {
            throw .refused("'\(user.id)' is an admin; admins enroll people and do not waive findings")
        }
        let role = state.security.waiverRole
        guard user.roles.contains(role) else {
            throw .refused("'\(user.id)' does not hold the '\(role)' role in force needed to waive a finding")
        }
        try checkExpiry(request.expiresAt, now: now)
        guard let keyRecord = user.signingKey else { throw .refused(Self.noSigningKeyReason(user)) }
        let key = try openKey(of: user, keyRecord, password: waiver.password)
        let statement = WaiverStatement(findingID: request.findingID, reason: request.reason,
                                        expiresAt: UTCTime.format(request.expiresAt), topologyDigest: request.topologyDigest,
                                        waivedBy: user.id, printedName: user.printedName, time: UTCTime.format(now))
        let signature = key.sign(statement.signingBytes)
        let entries = try await append([EntryDraft(kind: EntryKind.waiverGranted, actor: user.id, subject: request.findingID, payload: [
            "statement": statement.jsonValue, "signature": .string(Base64.encode(signature)),
            "keyId": .string(keyRecord.keyID.prefixed), "roles": .array(user.roles.sorted().map(JSONValue.string)),
        ], authority: KeyAuthority(key))])
        return WaiverRecord(seq: entries[0].seq, recordedAt: entries[0].time, statement: statement, signature: signature,
                            keyID: keyRecord.keyID, problem: nil)
    }

    /// The request's own fields (finding id, reason, expiry against the clock), so a caller
    /// can refuse a typo before asking for a password. `grantWaiver` checks them again.
    public func validateWaiver(_ request: WaiverRequest) throws(RecordsError) {
        try Self.checkFindingID(request.findingID)
        try RecordIDs.checkText(request.reason, field: "reason")
        try checkExpiry(request.expiresAt, now: clock())
    }

    /// A fingerprint is `<rule id>:<path>[#qualifier]` for a known rule; anything else
    /// could never match a finding, so it is a typo to report now, not a dead entry.
    static func checkFindingID(_ id: String) throws(RecordsError) {
        try RecordIDs.checkText(id, field: "finding", maxBytes: Limits.maxWaiverFindingIDBytes)
        guard let colon = id.firstIndex(of: ":"), ZoneRuleID(rawValue: String(id[..<colon])) != nil,
              !id.contains(where: \.isWhitespace)
        else {
            throw .invalidInput(field: "finding", reason: "'\(id)' is not a finding id such as 'ZR-007:line1-ai>c-line-plc>plc-cell' (see the 'id:' line of `auditctl policy check`)")
        }
    }

    func checkExpiry(_ expiresAt: Date, now: Date) throws(RecordsError) {
        guard expiresAt > now else {
            throw .invalidInput(field: "expires", reason: "\(UTCTime.format(expiresAt)) is not in the future")
        }
        guard expiresAt.timeIntervalSince(now) <= Limits.maxWaiverDurationSeconds else {
            throw .invalidInput(field: "expires", reason: "\(UTCTime.format(expiresAt)) is more than \(Int(Limits.maxWaiverDurationSeconds / 86_400)) days ahead; a waiver must be reviewed at least yearly")
        }
    }
}
