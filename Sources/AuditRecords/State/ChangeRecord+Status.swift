import AuditCore
import AuditPolicy
import Foundation

/// Where a change stands: a recorded decision wins; otherwise the policy in force says
/// whether it is still pending or has expired.
public enum ChangeStatus: Sendable, Equatable {
    case approved(seq: Int)
    case rejected(seq: Int)
    case pending(shortfalls: [Shortfall])
    case expired(deadline: Date)
    /// No policy given (or a policy other than the recorded one), so pending/expired is unknown.
    case undecided

    public var name: String {
        switch self {
        case .approved: return "approved"
        case .rejected: return "rejected"
        case .pending: return "pending"
        case .expired: return "expired"
        case .undecided: return "undecided"
        }
    }
}

extension ChangeRecord {
    public func status(policy: ApprovalPolicy?, now: Date) -> ChangeStatus {
        if let d = decision { return d.approved ? .approved(seq: d.seq) : .rejected(seq: d.seq) }
        return status(evaluation: policy?.evaluate(approvalFacts(now: now)), now: now)
    }

    /// The status from an evaluation the caller already made (of `approvalFacts(now:)` under
    /// the policy in force, nil without one), for callers that also need its deadline.
    public func status(evaluation: ApprovalEvaluation?, now: Date) -> ChangeStatus {
        if let d = decision { return d.approved ? .approved(seq: d.seq) : .rejected(seq: d.seq) }
        guard let evaluation else { return .undecided }
        switch evaluation.decision {
        case .expired(let deadline, _): return .expired(deadline: deadline)
        case .pending(let shortfalls): return .pending(shortfalls: shortfalls)
        case .approved, .rejected:
            // Signatures suffice but no decision was recorded (e.g. policy changed since); still open.
            return now > evaluation.deadline ? .expired(deadline: evaluation.deadline) : .pending(shortfalls: [])
        }
    }
}
