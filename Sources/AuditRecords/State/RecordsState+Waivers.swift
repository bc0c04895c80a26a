import AuditCore
import AuditCrypto
import Foundation

extension RecordsState {
    /// Re-checks every waiver as it is replayed, however it got into the ledger: signed by
    /// the actor's key that was usable at that point, by an active non-admin holding
    /// the policy's `security.waiverRole`, over this finding, with the printed name on record, dated when it
    /// was recorded and expiring within `Limits.maxWaiverDurationSeconds` of signing.
    mutating func applyWaiver(_ e: Entry) {
        let p = e.payload
        let statement = p["statement"].flatMap(WaiverStatement.init(json:))
        let signature = p["signature"]?.stringValue.flatMap(Base64.decode) ?? []
        let keyID = p["keyId"]?.stringValue.flatMap(Digest.init(prefixed:))
        let problem = waiverProblem(e, statement: statement, signature: signature, keyID: keyID)
        if let problem { note(e, problem) }
        waiverRecords.append(WaiverRecord(seq: e.seq, recordedAt: e.time, statement: statement, signature: signature,
                                          keyID: keyID, problem: problem))
    }

    private func waiverProblem(_ e: Entry, statement: WaiverStatement?, signature: [UInt8], keyID: Digest?) -> String? {
        guard let statement, let keyID, let signedAt = statement.signedAt, let expires = statement.expiryDate
        else { return "malformed waiver.granted payload" }
        guard statement.findingID == e.subject else { return "waives '\(statement.findingID)' but the entry is about '\(e.subject)'" }
        guard let signer = users[e.actor], statement.waivedBy == e.actor else {
            return "waiver by '\(statement.waivedBy)' is not the entry's actor or not a user"
        }
        guard signer.active else { return "'\(signer.id)' is deactivated" }
        guard !signer.isAdmin else { return "'\(signer.id)' is an admin; admins do not waive findings" }
        guard signer.roles.contains(security.waiverRole) else { return "'\(signer.id)' does not hold the '\(security.waiverRole)' role in force" }
        guard let key = signer.keys.first(where: { $0.keyID == keyID }) else {
            return "key \(keyID.prefixed) is not registered to '\(signer.id)'"
        }
        guard key.authoritative(at: e.seq) else { return "key \(keyID.prefixed) was \(key.status) at this waiver" }
        guard key.publicKey.verify(signature: signature, message: statement.signingBytes) else {
            return "signature bytes do not verify under key \(keyID.prefixed)"
        }
        guard statement.printedName == signer.printedName else { return "printed name differs from the user record" }
        if let problem = timeProblem(e, signedAt: signedAt, signedTime: statement.time) { return problem }
        guard expires > signedAt, expires.timeIntervalSince(signedAt) <= Limits.maxWaiverDurationSeconds else {
            return "expiry \(statement.expiresAt) is not within \(Int(Limits.maxWaiverDurationSeconds / 86_400)) days after signing"
        }
        return nil
    }
}
