import ArgumentParser
import AuditBundle
import AuditCore
import AuditCrypto
import AuditLedger
import Foundation

/// `bundle refresh DIR`: re-anchor a bundle's approval proof at the ledger's newest
/// checkpoint, so an edge that has moved past the bundle's own checkpoint can still relate
/// it. The signed payload and every signature stay byte for byte as they are.
struct BundleRefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Re-anchor a bundle's approval proof at the newest checkpoint (signed files untouched).",
        discussion: """
        Run on the ledger side before shipping a bundle built earlier. Refuses a proof whose entry or \\
        checkpoint this ledger does not hold (a fork or another ledger). A model.sig from an older \\
        auditctl with the approvers' signatures inside is split: the first (producer) signature stays, \\
        the others move to model.approvers.dsse.json.
        """)

    @Argument(help: "Bundle directory.") var directory: String
    @OptionGroup var records: RecordsOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let proofPath = directory + "/" + BundleLayout.approvalProofFileName
        let proof = try BundleCLI.input { () throws(BundleInputError) in try ApprovalProof.read(path: proofPath) }
        let store = try records.ledger.openForReading()
        let log: TrustRoot.Log
        do { log = TrustRoot.Log(origin: store.origin, key: try NoteVerifierKey.parse(store.verifierKey)) } catch {
            throw CLIFailure("the ledger's verifier key does not parse: \(error)", hint: "run `auditctl verify`", code: .storage)
        }
        let old: CheckpointBody
        do { old = try ApprovalProofVerifier.verify(proof, log: log) } catch {
            throw CLIFailure("\(proofPath): \(error)", hint: "the bundle's approval is not from this ledger; nothing was written",
                             code: .verificationFailed)
        }
        let fresh: ApprovalProof
        do { fresh = try LedgerBundleSources.reanchor(proof, anchoredAt: old, store: store) } catch {
            throw CLIFailure(error.description, hint: "nothing was written; check the bundle came from this ledger", code: .verificationFailed)
        }
        let moved = try splitLegacySignatures()
        try BundleCLI.input { () throws(BundleInputError) in try fresh.write(path: proofPath) }
        if json {
            return Output.json(["from": .number(Double(old.size)), "to": .number(Double(fresh.treeSize)),
                                "consistencyProofs": .number(Double(fresh.consistency.count)),
                                "movedApproverSignatures": .number(Double(moved))])
        }
        let cosignatures = (try? store.cosignatures(size: fresh.treeSize))?.count ?? 0
        print("re-anchored \(proofPath) from checkpoint size \(old.size) to \(fresh.treeSize) (\(fresh.consistency.count) consistency proofs)"
              + (cosignatures > 0 ? ", with \(cosignatures) witness cosignature(s)" : "")
              + (moved > 0 ? "; moved \(moved) approver signature(s) to \(BundleLayout.approverSignaturesFileName)" : ""))
    }

    /// A model.sig written before approvers had their own file carries them as extra
    /// signatures; the payload is the same, so they move over unchanged.
    private func splitLegacySignatures() throws -> Int {
        let sigPath = directory + "/" + BundleLayout.signatureFileName
        var file = try BundleCLI.input { () throws(BundleInputError) in try SignatureFile.read(path: sigPath) }
        guard file.envelope.signatures.count > 1 else { return 0 }
        let approversPath = directory + "/" + BundleLayout.approverSignaturesFileName
        var approvals = try BundleCLI.input { () throws(BundleInputError) in try ApproverSignatures.read(path: approversPath) }
            ?? DSSEEnvelope(payloadType: file.envelope.payloadType, payload: file.envelope.payload, signatures: [])
        guard approvals.payload == file.envelope.payload, approvals.payloadType == file.envelope.payloadType else {
            throw CLIFailure("\(approversPath) signs other payload bytes than \(sigPath)", hint: "re-create the bundle with `auditctl bundle create`",
                             code: .refused)
        }
        let extra = Array(file.envelope.signatures.dropFirst())
        approvals.signatures += extra.filter { s in !approvals.signatures.contains(s) }
        file.envelope.signatures = [file.envelope.signatures[0]]
        try BundleCLI.input { () throws(BundleInputError) in
            try ApproverSignatures.write(approvals, path: approversPath)
            try file.write(path: sigPath)
        }
        return extra.count
    }
}
