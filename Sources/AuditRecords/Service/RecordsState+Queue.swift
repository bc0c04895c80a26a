import AuditCore
import AuditPolicy
import Foundation

/// One change waiting for a person's signature.
public struct QueueItem: Sendable {
    public let change: ChangeRecord
    /// Signatures the policy still needs, per role.
    public let shortfalls: [Shortfall]
    /// After this instant the change can no longer be signed.
    public let deadline: Date
    /// Meanings this person may sign with that fill a requirement still short.
    public let meanings: [Meaning]
}

extension RecordsState {
    /// Changes waiting for `userID`'s signature under `policy` at `now`, oldest first: open
    /// (no decision, not expired), not yet signed by them in the current version, and at
    /// least one meaning they may sign with fills a requirement that is still short. The
    /// same admissibility rules `sign` applies; the HTTP queue and a CLI listing share it.
    public func queue(for userID: String, policy: ApprovalPolicy, now: Date) -> [QueueItem] {
        guard let user = users[userID], user.active, !user.isAdmin, !user.isEdge else { return [] }
        return changesInOrder.compactMap { change -> QueueItem? in
            guard change.decision == nil else { return nil }
            guard !change.currentSignatures.contains(where: { $0.statement?.signerID == userID }) else { return nil }
            let evaluation = policy.evaluate(change.approvalFacts(now: now))
            guard now <= evaluation.deadline, case .pending(let shortfalls) = evaluation.decision else { return nil }
            let short = Set(shortfalls.filter { $0.missing > 0 }.map(\.role))
            let meanings = Meaning.allCases.filter { meaning in
                guard meaning != .rejected else { return false }
                let verdict = policy.admissibility(signerID: userID, roles: user.roles, meaning: meaning,
                                                   changeType: change.current.content.changeType,
                                                   authorID: change.current.content.authorID)
                if case .allowed(let roles) = verdict { return !roles.isDisjoint(with: short) }
                return false
            }
            guard !meanings.isEmpty else { return nil }
            return QueueItem(change: change, shortfalls: shortfalls, deadline: evaluation.deadline, meanings: meanings)
        }
    }
}
