/// Whether a person may put a given signature on a change at all; asked before a
/// signature is appended to the ledger (REQUIREMENTS P7: authority checks).
public enum SignerAdmissibility: Sendable, Equatable {
    /// May sign. `asRoles` are the roles whose requirement this signature can fill (for a
    /// rejection: the required roles held). Empty only for the author's own `authored`
    /// signature, which is recorded but fills no requirement.
    case allowed(asRoles: Set<String>)
    case refused(reason: SignatureRefusal)
}

/// Why a signature is not admissible, in words a reviewer can act on.
public enum SignatureRefusal: Sendable, Equatable, CustomStringConvertible {
    /// Holders of the admin role never sign changes.
    case adminCannotSign
    /// The change's author may not sign it under this policy (`authorMaySign: false`).
    case authorCannotSign
    /// `authored` is the author's own attestation; nobody else may sign with it.
    case onlyAuthorMaySignAuthored
    /// None of the signer's roles has a requirement for this change type accepting the
    /// meaning (for `rejected`: the signer holds no required role).
    case noRoleAcceptsMeaning(meaning: Meaning, changeType: ChangeType, heldRoles: [String])

    public var description: String {
        switch self {
        case .adminCannotSign:
            return "holders of the '\(ApprovalPolicy.adminRole)' role cannot sign changes"
        case .authorCannotSign:
            return "the author of a change cannot sign it under this policy"
        case .onlyAuthorMaySignAuthored:
            return "only the change's author may sign with meaning 'authored'"
        case let .noRoleAcceptsMeaning(meaning, changeType, heldRoles):
            let held = heldRoles.isEmpty ? "no roles" : "roles " + heldRoles.joined(separator: ", ")
            if meaning == .rejected {
                return "only holders of a role required for '\(changeType.rawValue)' may reject it (signer holds \(held))"
            }
            return "no role required for '\(changeType.rawValue)' accepts meaning '\(meaning.rawValue)' from a signer holding \(held)"
        }
    }
}

extension ApprovalPolicy {
    /// May `signerID`, holding `roles` now, sign a `changeType` change by `authorID` with
    /// `meaning`? Checks, in order: admin, author, then whether any required role held
    /// accepts the meaning.
    public func admissibility(signerID: String, roles: Set<String>, meaning: Meaning,
                              changeType: ChangeType, authorID: String) -> SignerAdmissibility {
        if roles.contains(Self.adminRole) { return .refused(reason: .adminCannotSign) }
        let rule = rule(for: changeType)
        let isAuthor = signerID == authorID
        if meaning == .authored && !isAuthor { return .refused(reason: .onlyAuthorMaySignAuthored) }
        if isAuthor && !rule.authorMaySign {
            return meaning == .authored ? .allowed(asRoles: []) : .refused(reason: .authorCannotSign)
        }
        let fillable: Set<String>
        if meaning == .rejected {
            fillable = rule.requiredRoles.intersection(roles)
        } else {
            fillable = Set(rule.requirements.filter { roles.contains($0.role) && $0.meanings.contains(meaning) }.map(\.role))
        }
        if fillable.isEmpty && !(meaning == .authored && isAuthor) {
            return .refused(reason: .noRoleAcceptsMeaning(meaning: meaning, changeType: changeType,
                                                          heldRoles: roles.sorted()))
        }
        return .allowed(asRoles: fillable)
    }
}
