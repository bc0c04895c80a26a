import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

/// What one signing wrote and what the policy made of it.
public struct SignResult: Sendable {
    public let signature: Entry
    /// `change.approved` or `change.rejected` when this signature decided the change.
    public let decision: Entry?
    public let evaluation: ApprovalEvaluation
}

extension RecordsService {
    /// E-signs the current version of a change. Order of checks: change and policy (nothing
    /// is written if they fail), then ID + password (failures recorded), then the rules.
    /// The signature and the decision it completes are appended atomically.
    public func sign(changeID: String, meaning: Meaning, comment: String, policy: ApprovalPolicy,
                     as signer: Credentials) async throws(RecordsError) -> SignResult {
        try RecordIDs.checkText(comment, field: "comment", required: false)
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        guard let change = state.changes[changeID] else { throw .notFound(what: "change", id: changeID) }
        guard state.policyDigest == policy.digest else {
            throw .policyNotRecorded(file: policy.file, fileDigest: policy.digest, recorded: state.policyDigest)
        }
        let user = try await authenticate(signer, in: state, operation: "sign \(changeID)")
        let now = clock()
        try requireReadyToAct(user, now: now, security: state.security)
        if let decision = change.decision {
            throw .conflict("'\(changeID)' was already \(decision.approved ? "approved" : "rejected") at seq \(decision.seq)")
        }
        let before = policy.evaluate(change.approvalFacts(now: now))
        if now > before.deadline {
            throw .refused("'\(changeID)' expired at \(UTCTime.format(before.deadline)) (proposed \(change.current.time)); it can no longer be signed")
        }
        if case .refused(let reason) = policy.admissibility(signerID: user.id, roles: user.roles, meaning: meaning,
                                                            changeType: change.current.content.changeType,
                                                            authorID: change.current.content.authorID) {
            throw .refused("\(user.id) cannot sign '\(changeID)' as '\(meaning.rawValue)': \(reason)")
        }
        guard let keyRecord = user.signingKey else { throw .refused(Self.noSigningKeyReason(user)) }
        let key = try openKey(of: user, keyRecord, password: signer.password)
        let statement = SignedStatement(changeDigest: change.current.digest, signerID: user.id, printedName: user.printedName,
                                        meaning: meaning, time: UTCTime.format(now), comment: comment)
        let signatureBytes = key.sign(statement.signingBytes)
        var drafts = [EntryDraft(kind: EntryKind.signatureAdded, actor: user.id, subject: changeID, payload: [
            "statement": statement.jsonValue, "signature": .string(Base64.encode(signatureBytes)),
            "keyId": .string(keyRecord.keyID.prefixed), "roles": .array(user.roles.sorted().map(JSONValue.string)),
        ], authority: KeyAuthority(key))]
        let pendingSeq = state.size
        let facts = change.approvalFacts(now: now)
        let newFact = SignatureFact(signerID: user.id, roles: user.roles, meaning: meaning,
                                    signedAt: UTCTime.parse(statement.time) ?? now, reference: "seq \(pendingSeq)")
        let evaluation = policy.evaluate(ApprovalFacts(changeType: facts.changeType, authorID: facts.authorID,
                                                       proposedAt: facts.proposedAt, now: now, signatures: facts.signatures + [newFact]))
        if let decision = RecordsState.decisionDraft(evaluation, change: change) { drafts.append(decision) }
        let entries = try await append(drafts)
        return SignResult(signature: entries[0], decision: entries.count > 1 ? entries[1] : nil, evaluation: evaluation)
    }

    func openKey(of user: UserRecord, _ key: KeyRecord, password: String) throws(RecordsError) -> Ed25519PrivateKey {
        let (bytes, path) = try files.sealedKey(user: user.id, keyID: key.keyID)
        let opened: Ed25519PrivateKey
        do { opened = try SealedKey.open(bytes, password: password, source: path) } catch {
            throw .credentialFile(path: path, reason: "\(error.description); the key file does not open with the current password")
        }
        guard opened.publicKey == key.publicKey else {
            throw .credentialFile(path: path, reason: "holds a different key than the ledger registered")
        }
        return opened
    }
}
