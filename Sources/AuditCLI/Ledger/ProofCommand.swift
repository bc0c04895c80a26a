import ArgumentParser
import AuditCore
import AuditLedger

struct ProofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof",
        abstract: "RFC 9162 inclusion and consistency proofs.",
        subcommands: [InclusionProofCommand.self, ConsistencyProofCommand.self])
}

struct InclusionProofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inclusion", abstract: "Prove that entry --seq is in the tree of --size entries.")

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The entry's seq (its 0-based leaf index).") var seq: Int
    @Option(help: "Tree size (default: the current size).") var size: Int?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let store = try ledger.openForReading()
        let p: InclusionProof
        do { p = try store.inclusionProof(seq: seq, size: size) } catch { throw CLIFailure(ledgerError: error) }
        if json {
            Output.json(.object([
                "seq": .number(Double(p.seq)), "treeSize": .number(Double(p.size)),
                "leafHash": .string(p.leafHash.prefixed), "rootHash": .string(p.root.prefixed),
                "path": Output.proofJSON(p.path),
            ]))
        } else {
            print("seq:       \(p.seq)\ntree size: \(p.size)\nleaf hash: \(p.leafHash.prefixed)\nroot:      \(p.root.prefixed)")
            for (i, h) in p.path.enumerated() { print("path[\(i)]:   \(h.prefixed)") }
        }
    }
}

struct ConsistencyProofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consistency", abstract: "Prove that the tree of --to entries extends the tree of --from entries.")

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Older tree size.") var from: Int
    @Option(help: "Newer tree size (default: the current size).") var to: Int?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let store = try ledger.openForReading()
        let p: ConsistencyProof
        do { p = try store.consistencyProof(from: from, to: to) } catch { throw CLIFailure(ledgerError: error) }
        if json {
            Output.json(.object([
                "fromSize": .number(Double(p.fromSize)), "toSize": .number(Double(p.toSize)),
                "fromRoot": .string(p.fromRoot.prefixed), "toRoot": .string(p.toRoot.prefixed),
                "path": Output.proofJSON(p.path),
            ]))
        } else {
            print("from size: \(p.fromSize)  root \(p.fromRoot.prefixed)\nto size:   \(p.toSize)  root \(p.toRoot.prefixed)")
            for (i, h) in p.path.enumerated() { print("path[\(i)]:   \(h.prefixed)") }
        }
    }
}
