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
        guard key.authoritative(at: e.seq) else { return "key \(keyID.prefixed) was \(key.status) at this signature" }
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
        // The signer could make this signature only with the roles in force at this seq and
        // under the policy in force (as `sign` checks): a claimed role still waiting for a
        // second admin, or a meaning no held role may give, is not theirs to sign with.
        let claimed = e.payload["roles"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard Set(claimed) == signer.roles, claimed.count == signer.roles.count else {
            return "claims the roles \(claimed.sorted().joined(separator: ", ")), but '\(signer.id)' held \(signer.roles.sorted().joined(separator: ", ")) in force at this seq"
        }
        guard let policy else { return "no approval policy was in force to sign under" }
        let content = change.current.content
        if case .refused(let reason) = policy.admissibility(signerID: signer.id, roles: signer.roles, meaning: statement.meaning,
                                                             changeType: content.changeType, authorID: content.authorID) {
            return "'\(signer.id)' could not sign '\(change.id)' as '\(statement.meaning.rawValue)': \(reason)"
        }
        return timeProblem(e, signedAt: signedAt, signedTime: statement.time)
    }

    /// A signature's own time must lie within the clock tolerance of its entry's time (the
    /// same tolerance the writer applies to host clocks).
    func timeProblem(_ e: Entry, signedAt: Date, signedTime: String) -> String? {
        guard let recorded = UTCTime.parse(e.time) else { return "unreadable entry time" }
        let tolerance = Double(security.clockToleranceSeconds)
        let lag = recorded.timeIntervalSince(signedAt)
        if lag < -tolerance || lag > tolerance {
            return "signed time \(signedTime) is not within \(security.clockToleranceSeconds) s of its ledger time \(e.time)"
        }
        return nil
    }

    /// A decision is believed only if recomputing it gives exactly this entry: it must follow
    /// the signature that completed the change's requirements under the policy in force,
    /// and say what that evaluation says, byte for byte. A hand-written or stale decision
    /// is kept (nothing is hidden) but marked and never counts.
    mutating func applyDecision(_ e: Entry) {
        guard var change = changes[e.subject] else { return note(e, "no change '\(e.subject)'") }
        let digest = e.payload["changeDigest"]?.stringValue.flatMap(Digest.init(prefixed:))
        let policyNamed = e.payload["policyDigest"]?.stringValue.flatMap(Digest.init(prefixed:))
        let problem = decisionProblem(e, change: change)
        if let problem { note(e, problem) }
        change.decisions.append(DecisionRecord(seq: e.seq, approved: e.kind == EntryKind.changeApproved, changeDigest: digest,
                                               policyDigest: policyNamed, time: e.time, problem: problem))
        changes[e.subject] = change
    }

    private func decisionProblem(_ e: Entry, change: ChangeRecord) -> String? {
        guard e.actor == RecordIDs.systemActor else { return "decisions are written by auditctl, not '\(e.actor)'" }
        guard change.decision == nil else { return "the change was already decided" }
        guard let policy else { return "no approval policy was in force" }
        guard let deciding = change.signatures.last, deciding.seq == e.seq - 1, deciding.problem == nil,
              let signedAt = deciding.statement?.date
        else { return "does not directly follow a valid signature on '\(change.id)' that could have decided it" }
        let evaluation = policy.evaluate(change.approvalFacts(now: signedAt))
        guard let expected = Self.decisionDraft(evaluation, change: change) else {
            return "the signatures and the policy in force do not decide '\(change.id)' at this point"
        }
        guard expected.kind == e.kind, expected.payload == e.payload else {
            return "does not match the decision recomputed from the signatures and the policy in force (\(expected.kind))"
        }
        return nil
    }

    /// The decision entry an evaluation calls for, nil while pending. Self-contained, so an
    /// edge can judge a bundle from this one entry and its proof: the change record itself
    /// (its digest is `changeDigest`) and when it was proposed.
    static func decisionDraft(_ evaluation: ApprovalEvaluation, change: ChangeRecord) -> EntryDraft? {
        let base: [String: JSONValue] = ["changeDigest": .string(change.current.digest.prefixed),
                                         "policyDigest": .string(evaluation.policyDigest.prefixed),
                                         "changeId": .string(change.id),
                                         "change": change.current.content.jsonValue,
                                         "proposedAt": .string(change.current.time)]
        switch evaluation.decision {
        case .approved(let assignment):
            var p = base
            p["assignment"] = .array(assignment.map {
                ["role": .string($0.role), "signerId": .string($0.signerID), "meaning": .string($0.meaning.rawValue),
                 "signature": .string($0.reference)]
            })
            return EntryDraft(kind: EntryKind.changeApproved, actor: RecordIDs.systemActor, subject: change.id, payload: .object(p))
        case .rejected(let by):
            var p = base
            p["rejectedBy"] = .array(by.map { ["signerId": .string($0.signerID), "signature": .string($0.reference)] })
            return EntryDraft(kind: EntryKind.changeRejected, actor: RecordIDs.systemActor, subject: change.id, payload: .object(p))
        case .pending, .expired:
            return nil
        }
    }
}
