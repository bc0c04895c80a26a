import Foundation

extension ApprovalPolicy {
    /// Decides a change from verified signature facts. Rules, in order:
    /// signatures outside [proposedAt, deadline] or refused by `admissibility` are ignored;
    /// any remaining `rejected` signature rejects; otherwise each person fills at most one
    /// requirement slot (maximum bipartite matching, so the result does not depend on the
    /// order of signatures) and the change is approved when every slot is filled, expired
    /// when the deadline has passed, and pending otherwise.
    public func evaluate(_ facts: ApprovalFacts) -> ApprovalEvaluation {
        let rule = rule(for: facts.changeType)
        let deadline = facts.proposedAt.addingTimeInterval(TimeInterval(rule.expiresAfterHours) * 3600)
        var outcomes = [SignatureOutcome?](repeating: nil, count: facts.signatures.count)
        var rejections: [SignatureReference] = []
        var candidates = SlotCandidates()

        for (index, signature) in facts.signatures.enumerated() {
            if signature.signedAt < facts.proposedAt {
                outcomes[index] = .ignored(.beforeProposal)
                continue
            }
            if signature.signedAt > deadline {
                outcomes[index] = .ignored(.afterDeadline(deadline))
                continue
            }
            let verdict = admissibility(signerID: signature.signerID, roles: signature.roles,
                                        meaning: signature.meaning, changeType: facts.changeType,
                                        authorID: facts.authorID)
            switch verdict {
            case .refused(let reason):
                outcomes[index] = .ignored(.refused(reason))
            case .allowed(let roles):
                if signature.meaning == .rejected {
                    outcomes[index] = .rejects
                    rejections.append(SignatureReference(signerID: signature.signerID, reference: signature.reference))
                } else if roles.isEmpty {
                    outcomes[index] = .authorship
                } else {
                    let requirementIndices = rule.requirements.indices.filter { roles.contains(rule.requirements[$0].role) }
                    candidates.add(signer: signature.signerID, signatureIndex: index, requirements: requirementIndices)
                }
            }
        }

        let matching = RequirementMatching(capacities: rule.requirements.map(\.count),
                                           signers: candidates.signers.map { Array($0.firstSignature.keys).sorted() })
        let filled = matching.solve()
        var assignment: [(signatureIndex: Int, slot: Assignment)] = []
        var counted = [Int](repeating: 0, count: rule.requirements.count)
        for (signerIndex, signer) in candidates.signers.enumerated() {
            let chosen = filled[signerIndex].flatMap { requirement in
                signer.firstSignature[requirement].map { (requirement, $0) }
            }
            if let (requirement, signatureIndex) = chosen {
                let signature = facts.signatures[signatureIndex]
                let role = rule.requirements[requirement].role
                counted[requirement] += 1
                outcomes[signatureIndex] = .counted(role: role)
                assignment.append((signatureIndex, Assignment(role: role, signerID: signature.signerID,
                                                              meaning: signature.meaning, reference: signature.reference)))
            }
            for signatureIndex in signer.signatureIndices where outcomes[signatureIndex] == nil {
                outcomes[signatureIndex] = .ignored(chosen == nil ? .notNeeded : .signerAlreadyCounted)
            }
        }

        let shortfalls = rule.requirements.indices.compactMap { index -> Shortfall? in
            let requirement = rule.requirements[index]
            guard counted[index] < requirement.count else { return nil }
            return Shortfall(role: requirement.role, required: requirement.count, counted: counted[index])
        }
        let decision: ApprovalDecision
        if !rejections.isEmpty {
            decision = .rejected(by: rejections)
        } else if shortfalls.isEmpty {
            decision = .approved(assignment: assignment.sorted { $0.signatureIndex < $1.signatureIndex }.map(\.slot))
        } else if facts.now > deadline {
            decision = .expired(deadline: deadline, shortfalls: shortfalls)
        } else {
            decision = .pending(shortfalls: shortfalls)
        }
        let notes = facts.signatures.indices.map { index in
            SignatureNote(reference: facts.signatures[index].reference, signerID: facts.signatures[index].signerID,
                          outcome: outcomes[index] ?? .ignored(.notNeeded))
        }
        return ApprovalEvaluation(decision: decision, notes: notes, policyDigest: digest, deadline: deadline)
    }
}

/// Signers who can fill at least one slot, one entry per person in order of first signature.
struct SlotCandidates {
    struct Signer {
        /// Requirement index → the signer's first signature able to fill it.
        var firstSignature: [Int: Int] = [:]
        /// Every counting-capable signature of this person.
        var signatureIndices: [Int] = []
    }

    private(set) var signers: [Signer] = []
    private var indexOfSigner: [String: Int] = [:]

    mutating func add(signer id: String, signatureIndex: Int, requirements: [Int]) {
        let position: Int
        if let existing = indexOfSigner[id] {
            position = existing
        } else {
            position = signers.count
            indexOfSigner[id] = position
            signers.append(Signer())
        }
        signers[position].signatureIndices.append(signatureIndex)
        for requirement in requirements where signers[position].firstSignature[requirement] == nil {
            signers[position].firstSignature[requirement] = signatureIndex
        }
    }
}
