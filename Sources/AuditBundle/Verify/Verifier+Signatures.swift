import Foundation
import AuditCore
import AuditCrypto

extension Verifier {
    /// `model.sig`'s one signature is the producer's: a model-signing ECDSA P-256 key from the
    /// trust root's `producers`, or the Ed25519 key of the ledger identity that built the
    /// bundle. The approvers' signatures come only from `model.approvers.dsse.json`, over
    /// the same payload bytes. Every signature must verify over the PAE of those exact bytes
    /// with a trusted key valid at `time` (the proven approval time when there is one).
    func checkSignatures(_ envelope: DSSEEnvelope, hint: String, approvers: Result<DSSEEnvelope?, BundleInputError>,
                         at time: Date, minimum: Int, report: inout Report) -> [VerifiedSignature] {
        let keys = SignatureKeys(trust: trust)
        var verified: [VerifiedSignature] = []
        var failures: [String] = []

        let producer = envelope.signatures[0]
        let producerLabel = "model.sig signature" + (producer.keyID.isEmpty ? "" : " (\(producer.keyID))")
        switch keys.resolve(producer, message: envelope.pae, hint: hint, producers: true) {
        case .verified(.producer(let p)):
            verified.append(VerifiedSignature(kind: .producer, signer: p.name, keyID: p.key.keyID.prefixed, roles: []))
        case .verified(.signer(let s)):
            if let why = invalidity(s, at: time) { failures.append("\(producerLabel) by \(s.id): \(why)") } else {
                verified.append(VerifiedSignature(kind: .producer, signer: s.id, keyID: s.keyID.prefixed, roles: []))
            }
        case .doesNotVerify(let key):
            failures.append("\(producerLabel) by \(key.name) does not verify: payload or signature altered")
        case .unknownSigner:
            failures.append("\(producerLabel): no trusted key verifies it (unknown producer)")
        }

        var haveApproversFile = false
        switch approvers {
        case .failure(let error):
            failures.append(error.description)
        case .success(nil):
            break
        case .success(let list?):
            haveApproversFile = true
            guard list.payloadType == envelope.payloadType, list.payload == envelope.payload else {
                failures.append("\(BundleLayout.approverSignaturesFileName) signs other payload bytes than model.sig")
                break
            }
            let message = list.pae
            for (i, sig) in list.signatures.enumerated() {
                let label = "approver signature \(i + 1)" + (sig.keyID.isEmpty ? "" : " (\(sig.keyID))")
                switch keys.resolve(sig, message: message, hint: "", producers: false) {
                case .verified(.signer(let s)):
                    if let why = invalidity(s, at: time) { failures.append("\(label) by \(s.id): \(why)") } else {
                        verified.append(VerifiedSignature(kind: .approver, signer: s.id, keyID: s.keyID.prefixed, roles: s.roles))
                    }
                case .verified(.producer(let p)):
                    failures.append("\(label) by producer \(p.name): producers do not approve")
                case .doesNotVerify(let key):
                    failures.append("\(label) by \(key.name) does not verify: payload or signature altered")
                case .unknownSigner:
                    failures.append("\(label): no trusted key verifies it (unknown signer)")
                }
            }
        }
        // Distinct people: the same key signing twice is one approval.
        let people = Set(verified.filter { $0.kind == .approver }.map(\.signer))
        if people.count < minimum {
            let missing = haveApproversFile ? "" : " (no \(BundleLayout.approverSignaturesFileName): approvers add it with `auditctl bundle sign`)"
            failures.append("\(people.count) approver(s) with a valid signature, at least \(minimum) required\(missing)")
        }
        if failures.isEmpty {
            let names = verified.map { "\($0.signer) (\($0.kind.rawValue))" }.joined(separator: ", ")
            report.set(.signatures, .passed, "\(verified.count) valid: \(names)")
        } else {
            report.set(.signatures, .failed, failures[0] + (failures.count > 1 ? " (and \(failures.count - 1) more)" : ""),
                       findings: failures)
        }
        return verified
    }

    private func invalidity(_ signer: TrustRoot.Signer, at time: Date) -> String? {
        guard !signer.isValid(at: time) else { return nil }
        let why = signer.revokedAt.map { "revoked at \(UTCTime.format($0))" } ?? "not valid before \(UTCTime.format(signer.notBefore))"
        return "key \(why), approval time \(UTCTime.format(time))"
    }

    func checkRoles(_ signatures: [VerifiedSignature], change: ApprovedChange?, options: VerifyOptions, report: inout Report) {
        guard let change else {
            report.set(.roles, .skipped, "not checked: no verified approved change (see approval.proof)")
            return
        }
        switch options.approvalLink.checkRoles(approvers: signatures.filter { $0.kind == .approver }, change: change, trust: trust) {
        case .satisfied(let how): report.set(.roles, .passed, "approval policy \(trust.approvalPolicy.digest.prefixed) satisfied: \(how)")
        case .notSatisfied(let why): report.set(.roles, .failed, "approval policy not satisfied: " + why.joined(separator: "; "), findings: why)
        }
    }
}

extension SignatureKeys.Key {
    var name: String {
        switch self {
        case .signer(let s): return s.id
        case .producer(let p): return p.name
        }
    }
}
