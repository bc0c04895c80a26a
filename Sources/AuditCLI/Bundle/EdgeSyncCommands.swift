import ArgumentParser
import AuditBundle
import AuditCore
import Foundation

/// `auditctl edge sync-file` (ledger side): the newest checkpoint and consistency proofs
/// for air-gapped edges, in one file to carry on removable media.
struct EdgeSyncFileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-file",
        abstract: "Write the newest checkpoint with consistency proofs for air-gapped edges (`edge sync`).",
        discussion: """
        Proves consistency from the checkpoints of earlier approvals and the newest stored \\
        checkpoints; add --from-size for an edge that stands elsewhere (verify-bundle and \\
        edge sync name its size when they refuse). When the ledger holds fleet witness \\
        cosignatures, the newest cosigned checkpoint goes along with them.
        """)

    @Option(help: "Write the sync file here.") var out: String
    @Option(name: .customLong("from-size"), help: "Also prove consistency from this tree size (repeatable).")
    var fromSize: [Int] = []
    @OptionGroup var ledger: LedgerOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let store = try ledger.openForReading()
        let file: EdgeSyncFile
        do { file = try LedgerBundleSources.syncFile(store: store, fromSizes: fromSize) } catch {
            throw CLIFailure(error.description, hint: "sign a checkpoint first (`auditctl checkpoint`) and give sizes within the log",
                             code: .refused)
        }
        try BundleCLI.input { () throws(BundleInputError) in try file.write(path: out) }
        let size = (try? store.latestCheckpoint())??.size ?? 0
        let witnessed = (try? store.latestCosignedCheckpoint())??.checkpoint.size
        if json {
            return Output.json(["out": .string(out), "checkpointSize": .number(Double(size)),
                                "consistencyProofs": .number(Double(file.consistency.count)),
                                "witnessedSize": witnessed.map { .number(Double($0)) } ?? .null])
        }
        print("wrote \(out): checkpoint size \(size), consistency proofs from \(file.consistency.count) earlier size(s)"
              + (witnessed.map { ", witness cosignatures of size \($0)" } ?? ""))
    }
}

/// `auditctl edge sync` (edge side): take a newer checkpoint from a sync file into the state.
struct EdgeSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring this edge's state to the checkpoint in a sync file; refuses a forked or rolled-back log.",
        discussion: "Exit 0: the state moved forward (or already stood there). Exit 1: the checkpoint is not signed by "
            + "the trust root's log key or does not extend what this edge saw, or a trusted witness's cosignature in it "
            + "does not verify; the state is unchanged. With witnesses in the trust root, cosigned checkpoints are kept "
            + "for verify-bundle's approval.witness check.")

    @Option(help: "Edge state directory used with verify-bundle --state.") var state: String
    @Option(help: "Sync file written by `auditctl edge sync-file`.") var file: String
    @Option(name: .customLong("trust-root"), help: "Trust-root JSON file (the log key).") var trustRoot: String
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let trust: TrustRoot
        do { trust = try TrustRoot.read(path: trustRoot) } catch {
            throw CLIFailure(error.description, hint: "pass the trust-root file exported by `auditctl trust-root export`", code: .malformedInput)
        }
        let sync = try BundleCLI.input { () throws(BundleInputError) in try EdgeSyncFile.read(path: file) }
        let outcome: EdgeSync.Outcome
        do { outcome = try EdgeSync.apply(sync, trust: trust, store: EdgeStateStore(directory: state)) } catch {
            switch error {
            case .input(let e):
                throw CLIFailure(e.description, hint: "the edge state is damaged or not writable; restore it from backup", code: .malformedInput)
            case .refused(let why):
                throw CLIFailure("\(file): \(why)", hint: Self.hint(why), code: .verificationFailed)
            case .witness:
                throw CLIFailure("\(file): \(error)", hint: "a trusted witness's cosignature was altered or is dated ahead of this edge's clock; "
                                 + "check the clock, and get a fresh sync file from the ledger; the state is unchanged", code: .verificationFailed)
            }
        }
        let before = outcome.before.map { "\($0.size)" } ?? "none"
        if json {
            return Output.json(["state": .string(state), "before": outcome.before.map { .number(Double($0.size)) } ?? .null,
                                "after": .number(Double(outcome.after.size)), "proven": .number(Double(outcome.proven)),
                                "witnessed": outcome.witnessed.map { .number(Double($0)) } ?? .null])
        }
        print("edge state at checkpoint size \(outcome.after.size) (was \(before)); \(outcome.proven) checkpoint(s) proven"
              + (outcome.witnessed.map { "; witnessed checkpoint size \($0) kept" } ?? ""))
    }

    static func hint(_ why: ApprovalProofFailure) -> String {
        switch why {
        case .checkpointNotTrusted, .wrongOrigin:
            return "the file is not from the ledger this trust root names; get one from your ledger"
        default:
            return "do not load new models until QA checks the ledger; if the edge is only behind, make a sync file with --from-size <its size>"
        }
    }
}
