import Foundation
import AuditCore
import AuditCrypto

extension Verifier {
    /// Every signature must verify over the PAE of the exact payload bytes, with a key the
    /// trust root knows and that was valid at `time` (the proven approval time when there is
    /// one). Approver keys are Ed25519, named by keyid "sha256:<hex>"; producer keys are
    /// model-signing's ECDSA P-256 (empty keyid, matched by the bundle's key hint or by trying
    /// each producer key).
    func checkSignatures(_ envelope: DSSEEnvelope, hint: String, at time: Date, minimum: Int,
                         report: inout Report) -> [VerifiedSignature] {
        let message = envelope.pae
        var verified: [VerifiedSignature] = []
        var failures: [String] = []
        for (i, sig) in envelope.signatures.enumerated() {
            let label = "signature \(i + 1)" + (sig.keyID.isEmpty ? "" : " (\(sig.keyID))")
            if let keyID = Digest(prefixed: sig.keyID), let signer = trust.signer(keyID: keyID) {
                guard signer.publicKey.verify(signature: sig.signature, message: message) else {
                    failures.append("\(label) by \(signer.id) does not verify: payload or signature altered")
                    continue
                }
                guard signer.isValid(at: time) else {
                    let why = signer.revokedAt.map { "revoked at \(UTCTime.format($0))" } ?? "not valid before \(UTCTime.format(signer.notBefore))"
                    failures.append("\(label) by \(signer.id): key \(why), approval time \(UTCTime.format(time))")
                    continue
                }
                verified.append(VerifiedSignature(kind: .approver, signer: signer.id, keyID: keyID.prefixed, roles: signer.roles))
                continue
            }
            if let producer = producer(for: sig, hint: hint, message: message) {
                verified.append(VerifiedSignature(kind: .producer, signer: producer.name, keyID: producer.key.keyID.prefixed, roles: []))
                continue
            }
            failures.append("\(label): no trusted key verifies it (unknown signer)")
        }
        // Distinct people: the same key signing twice is one approval.
        let approvers = Set(verified.filter { $0.kind == .approver }.map(\.signer))
        if approvers.count < minimum {
            failures.append("\(approvers.count) approver(s) with a valid signature, at least \(minimum) required")
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

    private func producer(for sig: DSSESignature, hint: String, message: [UInt8]) -> TrustRoot.Producer? {
        let candidates = trust.producers.filter { hint.isEmpty || SHA256.hash($0.pem).hex == hint || sig.keyID == $0.key.keyID.prefixed }
        return (candidates.isEmpty ? trust.producers : candidates).first {
            $0.key.verify(derSignature: sig.signature, message: message)
        }
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
