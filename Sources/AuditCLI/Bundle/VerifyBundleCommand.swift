import ArgumentParser
import AuditBundle
import AuditCore
import AuditRecords
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `auditctl verify-bundle`: may this model be loaded here? One line per check, a verdict,
/// and an exit code scripts can branch on (0 only for "may load"; Docs/verify-bundle.md).
struct VerifyBundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-bundle",
        abstract: "Verify a signed model bundle offline; exit 0 only when it may be loaded.",
        discussion: "Checks, in order: signature file, file digests, file set, layout, signatures, approver roles, "
            + "approval proof, checkpoint consistency, witness cosignatures (only when the trust root names witnesses), "
            + "recorded digest, rollback, zone admission. "
            + "Exit codes 20-31 name the first failed check (see Docs/verify-bundle.md). "
            + "Strict by default: --state and --zone are required; --no-state / --any-zone skip those checks "
            + "knowingly, and the verdict then names what was not checked.")

    @Argument(help: "The bundle: the model directory with model.sig and model.approval.json inside.")
    var directory: String

    @Option(name: .customLong("trust-root"), help: "Trust-root JSON file (log key, approver keys, approval policy).")
    var trustRoot: String

    @Option(help: "Zone the model is to be loaded in (or --any-zone).")
    var zone: String?

    @Flag(name: .customLong("any-zone"), help: "Skip the zone check knowingly (no --zone); the verdict says so.")
    var anyZone = false

    @Option(help: "Topology file for zone admission (requires --zone).")
    var topology: String?

    @Option(help: "Edge state directory: last checkpoint seen, versions accepted, decisions to upload (or --no-state).")
    var state: String?

    @Flag(name: .customLong("no-state"), help: "Skip the rollback and checkpoint-consistency checks knowingly (no --state); the verdict says so.")
    var noState = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Flag(help: "Record the decision in the ledger (deployment.verified / deployment.blocked); if the ledger cannot be reached it stays in --state for `auditctl edge upload`. Needs the edge's identity in --state.")
    var record = false

    @Option(name: .customLong("edge-key-password-file"), help: "File with the password of the edge key in --state (or $AUDITCTL_EDGE_KEY_PASSWORD_FILE): decisions are signed with it.")
    var edgeKeyPasswordFile: String?

    @OptionGroup var records: RecordsOptions

    /// Refuses before hashing anything: an edge script that forgot --state or --zone must
    /// not learn it from a "may load" that checked less than it thinks.
    func validate() throws {
        if topology != nil && zone == nil { throw ValidationError("--topology needs --zone") }
        if state != nil && noState { throw ValidationError("--state and --no-state exclude each other") }
        if zone != nil && anyZone { throw ValidationError("--zone and --any-zone exclude each other") }
        if state == nil && !noState {
            throw ValidationError("no --state DIR: without the edge's state a rollback to an older approved model cannot be "
                + "detected; pass --state, or --no-state to skip the rollback and consistency checks knowingly")
        }
        if zone == nil && !anyZone {
            throw ValidationError("no --zone: without the target zone a model approved for another zone would pass; "
                + "pass --zone, or --any-zone to skip the zone check knowingly")
        }
        if record && state == nil { throw ValidationError("--record needs --state (the edge's identity signs the decision)") }
    }

    func run() async throws {
        let trust: TrustRoot
        do { trust = try TrustRoot.read(path: trustRoot) } catch {
            throw CLIFailure(error.description, hint: "pass the trust-root file exported by `auditctl trust-root export`",
                             code: .malformedInput)
        }
        let store = state.map { EdgeStateStore(directory: $0) }
        var options = VerifyOptions(zone: zone, topologyFile: topology)
        options.skipStateChecks = noState
        options.anyZone = anyZone
        options.progress = ProgressBar.callback()
        if let store {
            do { options.state = try store.load() } catch {
                throw CLIFailure(error.description, hint: "the edge state is damaged; restore it from backup rather than deleting it",
                                 code: .malformedInput)
            }
        }
        let result: VerificationResult
        do { result = try Verifier(trust: trust).verify(bundleDirectory: directory, options: options) } catch {
            throw CLIFailure(error.description, hint: Self.hint(for: error), code: .malformedInput)
        }
        let signed = try signDecision(result, store: store)
        var inLedger = false
        if record, let signed { inLedger = await recordInLedger(signed) }
        if let store {
            do {
                try EdgeRecorder.record(result, bundle: directory, zone: zone, store: store, pendingUpload: !inLedger, decisionLine: signed)
            } catch {
                throw CLIFailure("cannot record the decision: \(error)", hint: "check that --state is writable", code: .storage)
            }
        }
        if json {
            Output.json(result.jsonValue)
        } else {
            print(Self.render(result), terminator: "")
        }
        fflush(nil)
        Glibc.exit(result.exitCode)
    }

    /// The decision signed by the edge's key, when --state holds an edge identity; nil (and
    /// a refusal under --record) otherwise.
    private func signDecision(_ result: VerificationResult, store: EdgeStateStore?) throws -> JSONValue? {
        guard let store else { return nil }
        let identity: EdgeIdentity?
        do { identity = try EdgeIdentity.load(store) } catch {
            throw CLIFailure(error.description, hint: "the edge identity is damaged; restore --state from backup", code: .malformedInput)
        }
        guard let identity else {
            if record {
                throw CLIFailure("the edge in \(store.directory) has no identity, so its decision cannot be recorded in the ledger",
                                 hint: "run `auditctl edge keygen --state \(store.directory) --id ID` and have an admin enroll the key (`auditctl edge enroll`)",
                                 code: .usage)
            }
            return nil
        }
        let password = try SecretFile.read(edgeKeyPasswordFile ?? ProcessInfo.processInfo.environment["AUDITCTL_EDGE_KEY_PASSWORD_FILE"] ?? {
            throw CLIFailure("the edge key password is needed to sign the decision",
                             hint: "give --edge-key-password-file FILE or $AUDITCTL_EDGE_KEY_PASSWORD_FILE", code: .usage)
        }(), what: "edge key password")
        do {
            let signer = try identity.signer(password: password, store: store)
            return try signer.sign(EdgeRecorder.decisionRecord(result, bundle: directory, zone: zone, time: Date()))
        } catch {
            throw CLIFailure(error.description, hint: "check the edge key password file; nothing was recorded", code: .authenticationFailed)
        }
    }

    /// Appends the signed decision to the ledger; false (with a warning) when it cannot be reached.
    private func recordInLedger(_ signed: JSONValue) async -> Bool {
        do {
            let service = try records.service()
            _ = try await recordsCall { () async throws(RecordsError) in
                try await service.recordDeployments([signed], source: "verify-bundle")
            }
            return true
        } catch {
            Terminal.writeStderr("warning: decision not recorded in the ledger (\(error)); kept in --state for `auditctl edge upload`\n")
            return false
        }
    }

    static func render(_ result: VerificationResult) -> String {
        var out = ""
        let width = CheckID.allCases.map(\.rawValue.count).max() ?? 0
        for check in result.checks {
            let mark = switch check.status { case .passed: "ok  "; case .failed: "FAIL"; case .skipped: "skip" }
            out += "\(mark)  \(check.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0))  \(check.detail)\n"
        }
        if let failed = result.firstFailure {
            out += "verdict: BLOCKED: \(failed.id.title) (exit \(failed.id.exitCode)); do not load this model\n"
            if let hint = checkHint(failed.id) { out += "hint: \(hint)\n" }
        } else if result.waivedChecks.isEmpty {
            out += "verdict: may load\n"
        } else {
            let names = result.waivedChecks.map(\.title).joined(separator: ", ")
            out += "verdict: may load, but NOT checked (as asked): \(names)\n"
        }
        return out
    }

    /// What an operator can do about the failures that are not tampering.
    static func checkHint(_ id: CheckID) -> String? {
        switch id {
        case .checkpointConsistency:
            return "if this edge is only behind or ahead of the bundle: bring a sync file (`auditctl edge sync-file` on the ledger, "
                + "`auditctl edge sync` here) or refresh the bundle (`auditctl bundle refresh`); otherwise report a possible fork"
        case .rollback:
            return "an earlier version loads only through a newly approved rollback change and a bundle built for it"
        case .approvalWitness:
            return "if the plant has not pushed since the approval: run `auditctl fleet push` there, then `auditctl bundle refresh` "
                + "(or bring a sync file: `auditctl edge sync-file`, `auditctl edge sync`); a cosignature that does not verify is tampering: report it"
        default:
            return nil
        }
    }

    static func hint(for error: BundleInputError) -> String {
        switch error {
        case .notADirectory: return "give the model directory (the one holding model.sig), not a file inside it"
        case .tooDeep, .tooManyFiles, .tooLarge: return "the bundle exceeds a size bound (Docs/bundle-format.md, Limits); it is not a model bundle"
        case .unreadable: return "check that the bundle is complete and readable, then retry"
        case .changedWhileHashing: return "something is writing to the model directory; stop it, copy the bundle to a read-only place and retry"
        case .malformed: return "the file is damaged or not produced by auditctl/model-signing"
        }
    }
}
