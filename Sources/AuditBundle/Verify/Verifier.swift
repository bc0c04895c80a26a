import AuditCore
import Foundation

/// What the caller asks of a verification beyond the trust root.
public struct VerifyOptions: Sendable {
    /// The zone the model is to be loaded in; enables the zone check.
    public var zone: String?
    /// A topology file for zone admission (needs the zone engine; fails closed without it).
    public var topologyFile: String?
    /// The edge's state; enables the consistency and rollback checks.
    public var state: EdgeState?
    /// Approver (Ed25519) signatures required at least, before the role check.
    public var minimumApprovals = 1
    public var workers = ProcessInfo.processInfo.activeProcessorCount
    public var progress: HashProgress?
    public var approvalLink: any ApprovalLink = LedgerApprovalLink()
    public var zoneAdmission: any ZoneAdmission = TopologyZoneAdmission()
    /// Reference time for key validity when there is no verified approval time.
    public var now = Date()
    /// Run without edge state, knowingly: the consistency and rollback checks are skipped
    /// (and reported as such) instead of failing. The CLI's `--no-state`.
    public var skipStateChecks = false
    /// Run without a target zone, knowingly: the zone check is skipped instead of failing.
    /// The CLI's `--any-zone`.
    public var anyZone = false
    /// Test seam: called after each chunk hashed (race tests change files at exact points).
    var hashObserver: HashObserver?

    public init(zone: String? = nil, topologyFile: String? = nil, state: EdgeState? = nil) {
        self.zone = zone
        self.topologyFile = topologyFile
        self.state = state
    }
}

/// Decides whether a bundle directory may be loaded, from the bundle, a trust root and the
/// edge's state alone (no network). Keeps "is it intact and signed" (files, layout,
/// signatures) apart from "is it approved for here" (roles, proof, digest, rollback, zone);
/// every check runs and reports, so an operator sees every reason at once.
public struct Verifier: Sendable {
    public let trust: TrustRoot

    public init(trust: TrustRoot) { self.trust = trust }

    public func verify(bundleDirectory: String, options: VerifyOptions = VerifyOptions()) throws(BundleInputError) -> VerificationResult {
        var st = stat()
        guard stat(bundleDirectory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { throw .notADirectory(path: bundleDirectory) }
        var report = Report(reported: reportedChecks)

        // Inputs: the signature file and statement, the approval proof.
        let sigPath = bundleDirectory + "/" + BundleLayout.signatureFileName
        let statement: ModelStatement
        let envelope: DSSEEnvelope
        let hint: String
        do throws(BundleInputError) {
            let file = try SignatureFile.read(path: sigPath)
            guard file.envelope.payloadType == DSSEEnvelope.inTotoPayloadType else {
                throw BundleInputError.malformed(path: sigPath, field: "payloadType",
                                                 reason: "'\(file.envelope.payloadType)' is not \(DSSEEnvelope.inTotoPayloadType)")
            }
            guard file.envelope.signatures.count == 1 else {
                throw BundleInputError.malformed(path: sigPath, field: "dsseEnvelope.signatures",
                    reason: "\(file.envelope.signatures.count) signatures; model.sig carries exactly one (the producer's) and the approvers sign \(BundleLayout.approverSignaturesFileName) (`auditctl bundle refresh` moves them there)")
            }
            statement = try ModelStatement.parse(file.envelope.payload, file: sigPath)
            envelope = file.envelope
            hint = file.publicKeyHint
        } catch {
            report.set(.envelope, .failed, error.description)
            return report.finish(statement: nil)
        }
        let approverFile = Result { () throws(BundleInputError) in
            try ApproverSignatures.read(path: bundleDirectory + "/" + BundleLayout.approverSignaturesFileName)
        }
        guard statement.isSelfConsistent else {
            report.set(.envelope, .failed, "manifest inconsistent: subject digest \(statement.subjectDigest.prefixed) is not the hash of its resources (\(statement.manifest.subjectDigest.prefixed))")
            return report.finish(statement: statement)
        }
        report.set(.envelope, .passed, "\(statement.manifest.resources.count) resources, bundle digest \(statement.subjectDigest.prefixed)")

        // Approval proof first (cheap), so signer validity can use the proven approval time.
        let approval = checkApprovalProof(bundleDirectory, statement: statement, options: options, report: &report)
        checkWitnesses(approval, options: options, report: &report)

        // Files: layout, set, digests.
        try checkFiles(bundleDirectory, statement: statement, options: options, report: &report)

        // Signatures and roles.
        let signingTime = approval?.change?.approvedAt ?? options.now
        let signatures = checkSignatures(envelope, hint: hint, approvers: approverFile, at: signingTime,
                                         minimum: options.minimumApprovals, report: &report)
        checkRoles(signatures, change: approval?.change, options: options, report: &report)

        checkRelease(statement: statement, approval: approval, options: options, report: &report)
        applyStrictDefaults(options, report: &report)
        report.signatures = signatures
        report.checkpoint = approval?.checkpoint
        report.change = approval?.change
        report.approvalSeq = approval?.approvalSeq
        report.proven = approval?.proven ?? []
        if report.status(.approvalWitness) == .failed { report.witnessed = nil }
        return report.finish(statement: statement)
    }
}

/// Collects check results and emits them in `CheckID` order.
struct Report {
    /// The checks this verification reports (`Verifier.reportedChecks`), in `CheckID` order.
    let reported: [CheckID]
    private var results: [CheckID: CheckResult] = [:]
    var signatures: [VerifiedSignature] = []
    var checkpoint: CheckpointBody?
    var change: ApprovedChange?
    var approvalSeq: Int?
    var proven: [EdgeState.SeenCheckpoint] = []
    /// The bundle's checkpoint with the trusted witnesses' cosignatures it carries, if any.
    var witnessed: EdgeState.WitnessedCheckpoint?
    /// Checks the caller explicitly chose not to run (`skipStateChecks`, `anyZone`).
    var waived: [CheckID] = []

    init(reported: [CheckID]) { self.reported = reported }

    mutating func set(_ id: CheckID, _ status: CheckStatus, _ detail: String, findings: [String] = []) {
        guard reported.contains(id) else { return }
        results[id] = CheckResult(id, status, detail, findings: findings)
    }

    func status(_ id: CheckID) -> CheckStatus? { results[id]?.status }

    func finish(statement: ModelStatement?) -> VerificationResult {
        let checks = reported.map { id in
            results[id] ?? CheckResult(id, .skipped, "not checked: the signature file could not be used")
        }
        return VerificationResult(checks: checks, statement: statement, signatures: signatures,
                                  checkpoint: checkpoint, approvedChange: change, approvalSeq: approvalSeq,
                                  provenCheckpoints: proven, witnessedCheckpoint: witnessed,
                                  waivedChecks: reported.filter(waived.contains))
    }
}
