import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

extension RecordsState {
    /// Re-checks every signature as it is replayed: well-formed, signed by the actor's key
    /// that was active at that point, over this change's current version, with the printed
    /// name on record, dated when it was recorded. A signature failing any check is kept
    /// (nothing is hidden) but marked with its problem and never counts.
    mutating func applySignature(_ e: Entry) {
        let p = e.payload
        let statement = p["statement"].flatMap(SignedStatement.init(json:))
        let signature = p["signature"]?.stringValue.flatMap(Base64.decode) ?? []
        let keyID = p["keyId"]?.stringValue.flatMap(Digest.init(prefixed:))
        let signer = users[e.actor]
        let problem = signatureProblem(e, statement: statement, signature: signature, keyID: keyID, signer: signer)
        if let problem { note(e, problem) }
        guard var change = changes[e.subject] else { return }
        change.signatures.append(SignatureRecord(seq: e.seq, recordedAt: e.time, statement: statement, signature: signature,
                                                 keyID: keyID, rolesAtSigning: signer?.roles ?? [], problem: problem))
        changes[e.subject] = change
    }

    private func signatureProblem(_ e: Entry, statement: SignedStatement?, signature: [UInt8], keyID: Digest?,
                                  signer: UserRecord?) -> String? {
        guard let change = changes[e.subject] else { return "no change '\(e.subject)'" }
        guard let statement, let keyID, let signedAt = statement.date else { return "malformed signature.added payload" }
        guard let signer, statement.signerID == e.actor else { return "signer '\(statement.signerID)' is not the entry's actor or not a user" }
        guard signer.active else { return "signer '\(signer.id)' is deactivated" }
        guard let key = signer.keys.first(where: { $0.keyID == keyID }) else {
            return "key \(keyID.prefixed) is not registered to '\(signer.id)'"
        }
        guard key.usable(at: e.seq) else { return "key \(keyID.prefixed) was \(key.status) before this signature" }
        guard key.publicKey.verify(signature: signature, message: statement.signingBytes) else {
            return "signature bytes do not verify under key \(keyID.prefixed)"
        }
        guard statement.changeDigest == change.current.digest else {
            if change.versions.contains(where: { $0.digest == statement.changeDigest }) {
                return "signs an older version of '\(change.id)' (\(statement.changeDigest.prefixed))"
            }
            return "signs \(statement.changeDigest.prefixed), which is no version of '\(change.id)' (copied signature?)"
        }
        guard statement.printedName == signer.printedName else { return "printed name differs from the user record" }
        if let recorded = UTCTime.parse(e.time) {
            let lag = recorded.timeIntervalSince(signedAt)
            if lag < -1 || lag > Limits.maxSignatureClockSkewSeconds {
                return "signed time \(statement.time) is not within \(Int(Limits.maxSignatureClockSkewSeconds)) s before its ledger time \(e.time)"
            }
        }
        return nil
    }

    /// A decision counts only for the change's current version and the policy in force
    /// at that point; anything else is marked (e.g. a hand-appended approval).
    mutating func applyDecision(_ e: Entry) {
        guard var change = changes[e.subject] else { return note(e, "no change '\(e.subject)'") }
        let digest = e.payload["changeDigest"]?.stringValue.flatMap(Digest.init(prefixed:))
        let policy = e.payload["policyDigest"]?.stringValue.flatMap(Digest.init(prefixed:))
        var problem: String?
        if e.actor != RecordIDs.systemActor {
            problem = "decisions are written by auditctl, not '\(e.actor)'"
        } else if digest != change.current.digest {
            problem = "does not name the change's current version"
        } else if policy == nil || policy != policyDigest {
            problem = "does not name the approval policy in force"
        } else if change.decision != nil {
            problem = "the change was already decided"
        }
        if let problem { note(e, problem) }
        change.decisions.append(DecisionRecord(seq: e.seq, approved: e.kind == EntryKind.changeApproved, changeDigest: digest,
                                               policyDigest: policy, time: e.time, problem: problem))
        changes[e.subject] = change
    }
}
