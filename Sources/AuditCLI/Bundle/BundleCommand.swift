import ArgumentParser
import AuditBundle
import AuditCore
import AuditCrypto
import Foundation

/// `auditctl bundle`: build and sign model bundles.
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Build and sign model update bundles (OpenSSF model-signing v1.0 layout).",
        subcommands: [BundleDigestCommand.self, BundleCreateCommand.self, BundleSignCommand.self])
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

/// `bundle create DIR`: hash, write the statement signed by the caller, attach the proof.
struct BundleCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Write model.sig (and model.approval.json) for an approved change.",
        discussion: "Refuses unless the approval proof verifies against the trust root and records this directory's digest.")

    @Argument(help: "Model directory.") var directory: String
    @Option(help: "The approved change id.") var change: String
    @Option(help: "Model name.") var model: String
    @Option(help: "Model version (semantic version).") var version: String
    @Option(help: "Target zone (repeat for several).") var zone: [String] = []
    @OptionGroup var hashing: HashingOptions
    @OptionGroup var key: SigningKeyOptions
    // INTEGRATION POINT (issue 3): with a ledger at hand, look the change up and build the
    // proof (LedgerStore.inclusionProof + latestCheckpoint) instead of taking these files.
    @Option(name: .customLong("approval-proof"), help: "Approval proof JSON (change.approved entry, inclusion proof, checkpoint).")
    var approvalProof: String
    @Option(name: .customLong("trust-root"), help: "Trust root to check the approval proof against.")
    var trustRoot: String

    func run() async throws {
        guard SemanticVersion(version) != nil else {
            throw CLIFailure("version '\(version)' is not a semantic version", hint: "use MAJOR.MINOR.PATCH, e.g. 1.4.0", code: .usage)
        }
        let trust = try BundleCLI.input { () throws(BundleInputError) in try TrustRoot.read(path: trustRoot) }
        let proof = try BundleCLI.input { () throws(BundleInputError) in try ApprovalProof.read(path: approvalProof) }
        do { _ = try ApprovalProofVerifier.verify(proof, log: trust.log) } catch {
            throw CLIFailure("the approval proof does not verify: \(error)", hint: "export a fresh proof from the ledger", code: .verificationFailed)
        }
        let approved: ApprovedChange
        do { approved = try ProvisionalApprovalLink().approvedChange(from: proof.entry) } catch {
            throw CLIFailure(error.description, hint: "the proof must be for the change.approved entry of --change", code: .malformedInput)
        }
        let release = ReleaseInfo(changeID: change, modelName: model, modelVersion: version, zones: zone)
        let statement = try BundleCLI.statement(directory, release: release, shardSize: hashing.shardSize)
        guard approved.changeID == change else {
            throw CLIFailure("the proof approves change \(approved.changeID), not \(change)", hint: "pass the proof of --change", code: .refused)
        }
        guard approved.bundleDigest == statement.subjectDigest else {
            throw CLIFailure("the directory's digest \(statement.subjectDigest.prefixed) differs from the approved \(approved.bundleDigest.prefixed)",
                             hint: "bundle exactly the files that were approved (same shard size too)", code: .refused)
        }
        guard approved.modelName == model, approved.modelVersion == version, approved.zones.sorted() == zone.sorted() else {
            throw CLIFailure("model, version or zones differ from the approved change",
                             hint: "approved: \(approved.modelName) \(approved.modelVersion) zones \(approved.zones)", code: .refused)
        }
        let signer = try key.load()
        try BundleCLI.input { () throws(BundleInputError) in
            try BundleSigner.sign(statement, keys: [signer]).write(path: directory + "/" + BundleLayout.signatureFileName)
            try proof.write(path: directory + "/" + BundleLayout.approvalProofFileName)
        }
        print("\(statement.subjectDigest.prefixed)  \(statement.manifest.resources.count) resources, signed by \(signer.publicKey.keyID.prefixed)")
    }
}

/// `bundle sign DIR`: add the caller's signature over the existing payload bytes.
struct BundleSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Add your signature to a bundle's model.sig (payload bytes unchanged).")

    @Argument(help: "Bundle directory.") var directory: String
    @OptionGroup var key: SigningKeyOptions

    func run() async throws {
        let path = directory + "/" + BundleLayout.signatureFileName
        var file = try BundleCLI.input { () throws(BundleInputError) in try SignatureFile.read(path: path) }
        let signer = try key.load()
        BundleSigner.addSignature(to: &file.envelope, key: signer)
        try BundleCLI.input { () throws(BundleInputError) in try file.write(path: path) }
        print("signed by \(signer.publicKey.keyID.prefixed); \(file.envelope.signatures.count) signature(s)")
    }
}

/// The caller's sealed Ed25519 key and its password (two components: a file and a secret).
// INTEGRATION POINT (issue 3): replace with the identity/key lookup and authentication of `auditctl sign`.
struct SigningKeyOptions: ParsableArguments {
    @Option(name: .customLong("key-file"), help: "Your sealed signing key file.")
    var keyFile: String
    @Option(name: .customLong("password-file"), help: "File holding the key password (default: prompt on the terminal).")
    var passwordFile: String?

    func load() throws -> Ed25519PrivateKey {
        guard let bytes = FileManager.default.contents(atPath: keyFile) else {
            throw CLIFailure("cannot read the key file \(keyFile)", hint: "check the path and its permissions", code: .notFound)
        }
        let password: String
        if let passwordFile { password = try SecretFile.read(passwordFile, what: "password") } else {
            guard let typed = Terminal.promptSecret("password for \(keyFile): ") else {
                throw CLIFailure("no password given", hint: "pass --password-file or run on a terminal", code: .authenticationFailed)
            }
            password = typed
        }
        do { return try SealedKey.open([UInt8](bytes), password: password, source: keyFile) } catch {
            throw CLIFailure("cannot unlock \(keyFile): \(error)", hint: "check the password", code: .authenticationFailed)
        }
    }
}

enum BundleCLI {
    static func input<T>(_ body: () throws(BundleInputError) -> T) throws -> T {
        do { return try body() } catch {
            throw CLIFailure(error.description, hint: VerifyBundleCommand.hint(for: error), code: .malformedInput)
        }
    }

    static func statement(_ directory: String, release: ReleaseInfo?, shardSize: Int?) throws -> ModelStatement {
        try input { () throws(BundleInputError) in
            try BundleSigner.makeStatement(directory: directory, release: release, shardSize: shardSize,
                                           progress: ProgressBar.callback())
        }
    }
}
