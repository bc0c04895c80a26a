import ArgumentParser
import AuditBundle
import AuditCore
import AuditCrypto
import AuditRecords
import Foundation

/// `auditctl bundle`: build and sign model bundles.
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Build, sign and refresh model update bundles (OpenSSF model-signing v1.0 layout).",
        subcommands: [BundleDigestCommand.self, BundleCreateCommand.self, BundleSignCommand.self, BundleRefreshCommand.self])
}

/// Options shared by the commands that hash a model directory.
struct HashingOptions: ParsableArguments {
    @Option(name: .customLong("shard-size"), help: "Hash files in shards of this many bytes (model-signing 'shards'); default: whole files.")
    var shardSize: Int?
}

/// `bundle digest DIR`: the bundle digest a change proposal records.
struct BundleDigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest", abstract: "Print the bundle digest of a model directory (what a change records).")

    @Argument(help: "Model directory.") var directory: String
    @OptionGroup var hashing: HashingOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let statement = try BundleCLI.statement(directory, release: nil, shardSize: hashing.shardSize)
        if json {
            Output.json(.object(["bundleDigest": .string(statement.subjectDigest.prefixed),
                                 "resources": .number(Double(statement.manifest.resources.count))]))
        } else {
            print(statement.subjectDigest.prefixed)
        }
    }
}

/// `bundle create DIR --change ID`: check the directory is exactly what was approved, write
/// the statement signed by the caller, and attach the approval proof.
struct BundleCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Write model.sig and model.approval.json for an approved change.",
        discussion: """
        With the ledger at hand (--data-dir), the change, its approval proof and the trust root come \
        from it. Offline, pass --approval-proof and --trust-root files. Refuses unless the change is \
        approved and this directory's digest is the one the change recorded. model.sig gets one \
        signature, yours (or --producer-key's); approvers then add theirs with `bundle sign`.
        """)

    @Argument(help: "Model directory.") var directory: String
    @Option(help: "The approved change id.") var change: String
    @Option(help: "Model name (default: the approved change's).") var model: String?
    @Option(help: "Model version, semantic (default: the approved change's).") var version: String?
    @Option(help: "Target zone, repeatable (default: the approved change's).") var zone: [String] = []
    @OptionGroup var hashing: HashingOptions
    @OptionGroup var signer: BundleSignerOptions
    @Option(name: .customLong("approval-proof"), help: "Offline: approval proof JSON (change.approved entry, inclusion proof, checkpoint).")
    var approvalProof: String?
    @Option(name: .customLong("trust-root"), help: "Offline: trust root to check the approval proof against.")
    var trustRoot: String?
    @Option(name: .customLong("producer-key"),
            help: "Sign model.sig with this ECDSA P-256 private key (unencrypted PEM, as for model_signing) instead of your identity.")
    var producerKey: String?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let (proof, trust) = try proofAndTrust()
        do { _ = try ApprovalProofVerifier.verify(proof, log: trust.log) } catch {
            throw CLIFailure("the approval proof does not verify: \(error)", hint: "export a fresh proof from the ledger", code: .verificationFailed)
        }
        let approved: ApprovedChange
        do { approved = try LedgerApprovalLink().approvedChange(from: proof.entry) } catch {
            throw CLIFailure(error.description, hint: "the proof must be for the change.approved entry of --change", code: .malformedInput)
        }
        guard approved.changeID == change else {
            throw CLIFailure("the proof approves change \(approved.changeID), not \(change)", hint: "pass the proof of --change", code: .refused)
        }
        let model = self.model ?? approved.modelName, version = self.version ?? approved.modelVersion
        let zones = zone.isEmpty ? approved.zones : zone
        guard SemanticVersion(version) != nil else {
            throw CLIFailure("version '\(version)' is not a semantic version", hint: "use MAJOR.MINOR.PATCH, e.g. 1.4.0", code: .usage)
        }
        guard approved.modelName == model, approved.modelVersion == version, approved.zones.sorted() == zones.sorted() else {
            throw CLIFailure("model, version or zones differ from the approved change",
                             hint: "approved: \(approved.modelName) \(approved.modelVersion) zones \(approved.zones)", code: .refused)
        }
        let release = ReleaseInfo(changeID: change, modelName: model, modelVersion: version, zones: zones)
        let statement = try BundleCLI.statement(directory, release: release, shardSize: hashing.shardSize)
        guard approved.bundleDigest == statement.subjectDigest else {
            throw CLIFailure("the directory's digest \(statement.subjectDigest.prefixed) differs from the approved \(approved.bundleDigest.prefixed)",
                             hint: "bundle exactly the files that were approved (same shard size too); nothing was written", code: .refused)
        }
        let (who, key) = try await producer()
        let file: SignatureFile
        do { file = try BundleSigner.sign(statement, producer: key) } catch {
            throw CLIFailure("cannot sign with \(who): \(error)", hint: "use an ECDSA P-256 key (openssl ecparam -name prime256v1 -genkey)", code: .malformedInput)
        }
        try BundleCLI.input { () throws(BundleInputError) in
            try file.write(path: directory + "/" + BundleLayout.signatureFileName)
            try proof.write(path: directory + "/" + BundleLayout.approvalProofFileName)
        }
        try BundleCLI.dropStaleApprovals(directory, payload: file.envelope.payload)
        if json {
            return Output.json(["bundleDigest": .string(statement.subjectDigest.prefixed), "change": .string(change),
                                "resources": .number(Double(statement.manifest.resources.count)),
                                "signedBy": .string(who), "keyId": .string(key.keyID),
                                "checkpointSize": .number(Double(proof.treeSize)),
                                "consistencyProofs": .number(Double(proof.consistency.count))])
        }
        print("\(statement.subjectDigest.prefixed)  \(statement.manifest.resources.count) resources, signed by \(who) \(key.keyID)")
    }

    /// The producer: --producer-key, or the caller's own identity (ID + password or key file).
    private func producer() async throws -> (String, ProducerKey) {
        guard let producerKey else {
            let (who, key) = try await signer.unlock(operation: "create the bundle for \(change)")
            return (who, .ed25519(key))
        }
        guard let data = FileManager.default.contents(atPath: producerKey) else {
            throw CLIFailure("cannot read the producer key \(producerKey)", hint: "check the path and its permissions", code: .notFound)
        }
        do { return (producerKey, .p256(try ECDSAP256PrivateKey(pem: String(decoding: data, as: UTF8.self)))) } catch {
            throw CLIFailure("\(producerKey): \(error)", hint: "give an unencrypted ECDSA P-256 private key in PEM", code: .malformedInput)
        }
    }

    private func proofAndTrust() throws -> (ApprovalProof, TrustRoot) {
        if let approvalProof, let trustRoot {
            // An operator-given path (a symlink to a regular file is fine), unlike the bundle's own copy.
            let bytes = try InputFile.read(approvalProof, limit: Limits.maxApprovalProofBytes, what: "approval proof")
            return (try BundleCLI.input { () throws(BundleInputError) in try ApprovalProof.parse(bytes, file: approvalProof) },
                    try BundleCLI.input { () throws(BundleInputError) in try TrustRoot.read(path: trustRoot) })
        }
        guard approvalProof == nil, trustRoot == nil else {
            throw CLIFailure("--approval-proof and --trust-root go together", hint: "give both (offline) or neither (from the ledger)", code: .usage)
        }
        let service = try signer.records.service(writing: false)
        let state = try recordsSync { () throws(RecordsError) in try service.state() }
        do {
            let proof = try LedgerBundleSources.approvalProof(store: service.store, state: state, changeID: change)
            if let cosigned = try? service.store.latestCosignedCheckpoint(), cosigned.checkpoint.size <= proof.entry.seq {
                Terminal.writeStderr("note: the fleet witness has not cosigned a checkpoint covering this approval yet (newest cosigned: size \(cosigned.checkpoint.size)); "
                    + "edges whose trust root requires a witness will refuse the bundle until `auditctl fleet push`, then `auditctl bundle refresh`\n")
            }
            return (proof, try LedgerBundleSources.trustRoot(store: service.store, state: state))
        } catch {
            throw CLIFailure(error.description, hint: "`auditctl change show \(change)` shows where the change stands; nothing was written",
                             code: .refused)
        }
    }
}

/// `bundle sign DIR`: add the caller's approver signature over model.sig's payload bytes.
struct BundleSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Add your approver signature to a bundle (model.approvers.dsse.json, over model.sig's payload bytes).")

    @Argument(help: "Bundle directory.") var directory: String
    @OptionGroup var signer: BundleSignerOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let sigPath = directory + "/" + BundleLayout.signatureFileName
        let approversPath = directory + "/" + BundleLayout.approverSignaturesFileName
        let file = try BundleCLI.input { () throws(BundleInputError) in try SignatureFile.read(path: sigPath) }
        var existing = try BundleCLI.input { () throws(BundleInputError) in try ApproverSignatures.read(path: approversPath) }
        if let e = existing, e.payload != file.envelope.payload || e.payloadType != file.envelope.payloadType {
            Terminal.writeStderr("note: \(approversPath) signed another payload (the bundle was re-created); starting it anew\n")
            existing = nil
        }
        let (who, key) = try await signer.unlock(operation: "sign the bundle in \(directory)")
        let approvals = BundleSigner.approve(file, existing: existing, keys: [key])
        try BundleCLI.input { () throws(BundleInputError) in try ApproverSignatures.write(approvals, path: approversPath) }
        if json {
            return Output.json(["signedBy": .string(who), "keyId": .string(key.publicKey.keyID.prefixed),
                                "signatures": .number(Double(approvals.signatures.count))])
        }
        print("signed by \(who) \(key.publicKey.keyID.prefixed); \(approvals.signatures.count) approver signature(s)")
    }
}

/// Who signs a bundle: an enrolled user, authenticated with ID + password like `auditctl sign`
/// (failures recorded, lockout applies), or, offline, a sealed key file and its password.
struct BundleSignerOptions: ParsableArguments {
    @OptionGroup var records: RecordsOptions
    @OptionGroup var user: UserCredentialOptions
    @Option(name: .customLong("key-file"), help: "Offline: your sealed signing key file instead of your ledger identity.")
    var keyFile: String?

    func unlock(operation: String) async throws -> (String, Ed25519PrivateKey) {
        if let keyFile {
            let bytes = try InputFile.read(keyFile, limit: Limits.maxSealedKeyFileBytes, what: "key file")
            let password: String
            if let file = user.passwordFile ?? ProcessInfo.processInfo.environment["AUDITCTL_PASSWORD_FILE"] {
                password = try SecretFile.read(file, what: "password")
            } else {
                guard let typed = Terminal.promptSecret("Password for \(keyFile): ") else {
                    throw CLIFailure("no password given", hint: "pass --password-file or run on a terminal", code: .authenticationFailed)
                }
                password = typed
            }
            do { return (keyFile, try SealedKey.open(bytes, password: password, source: keyFile)) } catch {
                throw CLIFailure("cannot unlock \(keyFile): \(error)", hint: "check the password", code: .authenticationFailed)
            }
        }
        let service = try records.service()
        let creds = try user.credentials()
        let (u, key) = try await recordsCall { () async throws(RecordsError) in
            try await service.unlockSigningKey(creds, operation: operation)
        }
        return ("\(u.printedName) (\(u.id))", key)
    }
}

enum BundleCLI {
    static func input<T>(_ body: () throws(BundleInputError) -> T) throws -> T {
        do { return try body() } catch {
            throw CLIFailure(error.description, hint: VerifyBundleCommand.hint(for: error), code: .malformedInput)
        }
    }

    /// Removes an approvers' file left from an earlier `bundle create` over other payload
    /// bytes: those signatures can never verify against the new model.sig.
    static func dropStaleApprovals(_ directory: String, payload: [UInt8]) throws {
        let path = directory + "/" + BundleLayout.approverSignaturesFileName
        let stale: Bool
        do { stale = try ApproverSignatures.read(path: path).map { $0.payload != payload } ?? false } catch { stale = true }
        guard stale else { return }
        guard (try? FileManager.default.removeItem(atPath: path)) != nil else {
            throw CLIFailure("cannot remove the stale \(path)", hint: "remove it by hand; approvers must sign the new model.sig", code: .storage)
        }
        Terminal.writeStderr("note: removed \(path): it signed the previous payload; approvers sign again with `auditctl bundle sign`\n")
    }

    static func statement(_ directory: String, release: ReleaseInfo?, shardSize: Int?) throws -> ModelStatement {
        try input { () throws(BundleInputError) in
            try BundleSigner.makeStatement(directory: directory, release: release, shardSize: shardSize,
                                           progress: ProgressBar.callback())
        }
    }
}
