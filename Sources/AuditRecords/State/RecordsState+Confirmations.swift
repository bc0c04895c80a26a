import AuditCore
import AuditPolicy
import Foundation

extension RecordsState {
    /// `policy.updated`: the recorded text must load and match its digest; it applies once
    /// enough admins other than the recorder confirm it (at once when the policy in force
    /// asks for no confirmations).
    mutating func applyPolicyUpdated(_ e: Entry) {
        let p = e.payload
        guard p["policy"]?.stringValue == "approval" else { return }
        guard let digest = p["digest"]?.stringValue.flatMap(Digest.init(prefixed:)),
              let content = p["content"]?.stringValue
        else { return note(e, "missing 'digest' or 'content' (the policy text is recorded with it)") }
        let policy: ApprovalPolicy
        do { policy = try ApprovalPolicy.load(bytes: Array(content.utf8), file: p["file"]?.stringValue ?? "recorded policy") } catch {
            return note(e, "the recorded policy does not load: \(error)")
        }
        guard policy.digest == digest else { return note(e, "'digest' is not the digest of the recorded text") }
        let pending = PendingPolicy(seq: e.seq, policy: policy, recordedBy: e.actor)
        if security.identityConfirmations == 0 { putInForce(pending) } else { pendingPolicies[e.seq] = pending }
    }

    private mutating func putInForce(_ pending: PendingPolicy) {
        policy = pending.policy
        policyDigest = pending.policy.digest
        policySeq = pending.seq
        pendingPolicies = pendingPolicies.filter { $0.key > pending.seq }
    }

    /// `authority.confirmed`: an admin vouches, after checking identity, for items recorded
    /// by someone else — role grants and unvouched keys of the subject, or a pending policy.
    /// The confirmer may be neither the subject, nor who enrolled them, nor who recorded the
    /// item. All named items must be confirmable, or the entry has no effect.
    mutating func applyConfirmation(_ e: Entry) {
        guard let seqs = e.payload["confirms"]?.arrayValue?.compactMap(\.int64Value).map(Int.init), !seqs.isEmpty,
              seqs.count == e.payload["confirms"]?.arrayValue?.count, Set(seqs).count == seqs.count
        else { return note(e, "'confirms' must list the seqs of the entries confirmed") }
        let by = e.actor
        let needed = max(security.identityConfirmations, 1)
        if e.subject == Self.policySubject {
            for s in seqs {
                guard let pending = pendingPolicies[s] else { return note(e, "seq \(s) is no policy waiting for confirmation") }
                guard pending.recordedBy != by else { return note(e, "'\(by)' recorded the policy at seq \(s) and cannot also confirm it") }
                guard !pending.confirmedBy.contains(by) else { return note(e, "'\(by)' already confirmed seq \(s)") }
            }
            for s in seqs {
                pendingPolicies[s]?.confirmedBy.append(by)
                if let p = pendingPolicies[s], p.confirmedBy.count >= needed { putInForce(p) }
            }
            return
        }
        guard let user = users[e.subject] else { return note(e, "unknown user '\(e.subject)'") }
        guard by != user.id, by != user.enrolledBy else {
            return note(e, "'\(by)' enrolled '\(user.id)' (or is them) and cannot confirm their identity")
        }
        for s in seqs {
            let grants = user.pendingRoles.filter { $0.value.seq == s }
            let key = user.keys.first { $0.registeredSeq == s && !$0.confirmed }
            guard !grants.isEmpty || key != nil else {
                return note(e, "seq \(s) is no grant or key of '\(user.id)' waiting for confirmation")
            }
            for (role, grant) in grants {
                guard grant.grantedBy != by else { return note(e, "'\(by)' granted '\(role)' at seq \(s) and cannot also confirm it") }
                guard !grant.confirmedBy.contains(by) else { return note(e, "'\(by)' already confirmed seq \(s)") }
            }
            if let key {
                guard user.activeKey?.keyID == key.keyID else { return note(e, "key at seq \(s) is no longer the active key of '\(user.id)'") }
                guard e.payload["keyId"]?.stringValue == key.keyID.prefixed else {
                    return note(e, "confirms the key at seq \(s) without naming its key id (\(key.keyID.prefixed))")
                }
                guard !key.confirmedBy.contains(by) else { return note(e, "'\(by)' already confirmed seq \(s)") }
                guard user.revokerOfKeyInForce(before: s) != by else {
                    return note(e, "'\(by)' revoked the previous key of '\(user.id)' and cannot also confirm its replacement")
                }
            }
        }
        for s in seqs {
            for role in (users[user.id]?.pendingRoles.filter { $0.value.seq == s }.keys).map({ $0.sorted() }) ?? [] {
                users[user.id]?.pendingRoles[role]?.confirmedBy.append(by)
                record(e, "role confirmed", detail: "\(role) (granted at seq \(s))")
                if let g = users[user.id]?.pendingRoles[role], g.confirmedBy.count >= needed {
                    users[user.id]?.roles.insert(role)
                    users[user.id]?.pendingRoles[role] = nil
                }
            }
            if let i = users[user.id]?.keys.firstIndex(where: { $0.registeredSeq == s && !$0.confirmed }) {
                users[user.id]?.keys[i].confirmedBy.append(by)
                record(e, "key confirmed", detail: "key registered at seq \(s)")
                if let k = users[user.id]?.keys[i], k.confirmedBy.count >= needed {
                    users[user.id]?.keys[i].confirmed = true
                    users[user.id]?.keys[i].confirmedSeq = e.seq
                }
            }
        }
    }

    /// Subject of confirmations of a pending approval policy.
    public static let policySubject = "approval-policy"

    /// Items of `id` waiting for confirmation: seqs of pending grants and of the unconfirmed active key.
    public func pendingItems(of id: String) -> [Int] {
        guard let user = users[id] else { return [] }
        var seqs = user.pendingRoles.values.map(\.seq)
        if let key = user.activeKey, !key.confirmed { seqs.append(key.registeredSeq) }
        return Array(Set(seqs)).sorted()
    }
}
