import AuditPolicy
import AuditRecords

/// What a route lets its caller do, and which roles in force grant it. Roles come from the
/// ledger at each request (`UserRecord.roles`): a revoked role stops working at once and a
/// grant still waiting for a second admin grants nothing.
enum Capability: String, Sendable {
    /// Changes, entries, proofs, checkpoints, verify, policy checks, waivers, trust root.
    case read
    /// Propose changes.
    case propose
    /// E-sign or reject changes (the policy still decides which meanings count).
    case sign
    /// Enroll people, grant and revoke roles, unlock, confirm identities.
    case administer
    /// The user list and everyone's access history (admins and inspectors).
    case readUsers
    /// Prometheus metrics (admins, inspectors, or the scraper token).
    case metrics

    static let reviewerRoles: Set<String> = ["qa-reviewer", "process-owner", "ot-security"]

    var roles: Set<String> {
        switch self {
        case .read: return Self.reviewerRoles.union([ApprovalPolicy.authorRole, ApprovalPolicy.auditorRole])
        case .propose: return [ApprovalPolicy.authorRole]
        case .sign: return Self.reviewerRoles
        case .administer: return [ApprovalPolicy.adminRole]
        case .readUsers, .metrics: return [ApprovalPolicy.adminRole, ApprovalPolicy.auditorRole]
        }
    }

    var words: String {
        switch self {
        case .read: return "read the audit trail"
        case .propose: return "propose changes"
        case .sign: return "sign or reject changes"
        case .administer: return "administer users and roles"
        case .readUsers: return "list users"
        case .metrics: return "read metrics"
        }
    }
}

extension ServerContext {
    /// The signed-in person, or 401. A session with a one-time password gets 403 for
    /// everything but the password change (`allowPasswordChangeOnly`).
    func signedIn(allowPasswordChangeOnly: Bool = false) throws(HTTPFailure) -> UserRecord {
        guard let session, let user else { throw HTTPFailure.unauthenticated() }
        if session.mustChangePassword && !allowPasswordChangeOnly {
            throw HTTPFailure(.forbidden, code: "password_change_required",
                              "your password is one-time or expired: change it before anything else",
                              hint: "POST /api/v1/me/password (or the password page)")
        }
        return user
    }

    /// The signed-in person if a role in force grants `capability`; 401 without a session,
    /// 403 with the wrong role.
    func require(_ capability: Capability) throws(HTTPFailure) -> UserRecord {
        let user = try signedIn()
        guard !user.roles.isDisjoint(with: capability.roles) else {
            let held = user.roles.isEmpty ? "no role in force" : "roles " + user.roles.sorted().joined(separator: ", ")
            throw HTTPFailure.forbidden("'\(user.id)' (\(held)) may not \(capability.words); that needs one of: \(capability.roles.sorted().joined(separator: ", "))")
        }
        return user
    }

    func may(_ capability: Capability) -> Bool {
        guard let user, session?.mustChangePassword == false else { return false }
        return !user.roles.isDisjoint(with: capability.roles)
    }
}
