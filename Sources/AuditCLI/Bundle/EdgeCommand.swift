import ArgumentParser
import AuditBundle
import AuditCore
import AuditCrypto
import AuditLedger
import AuditRecords
import Foundation

/// `auditctl edge ...`: an edge's own identity and the decisions it kept offline.
struct EdgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edge", abstract: "Edge identities and the decisions edges keep offline.",
        subcommands: [EdgeKeygenCommand.self, EdgeEnrollCommand.self, EdgeUploadCommand.self, EdgeSyncFileCommand.self, EdgeSyncCommand.self])
}

/// Runs on the edge: makes the key its decisions are signed with.
struct EdgeKeygenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create this edge's signing identity in --state (on the edge); prints what an admin enrolls.",
        discussion: "The private key is sealed under the edge key password (Argon2id) in edge-key.sealed, mode 0600. Give the printed public key to an admin for `auditctl edge enroll`; decisions count in the ledger once a second admin confirms the edge.")
    @Option(help: "Edge state directory (the one verify-bundle uses).") var state: String
    @Option(help: "The edge's ID in the ledger, e.g. edge-line1-ipc.") var id: String
    @Option(name: .customLong("edge-key-password-file"), help: "File with the password that seals the key (or $AUDITCTL_EDGE_KEY_PASSWORD_FILE); asked twice otherwise.")
    var passwordFile: String?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let password = try CredentialPrompt.newPassword(
            file: passwordFile ?? ProcessInfo.processInfo.environment["AUDITCTL_EDGE_KEY_PASSWORD_FILE"], label: "Edge key password")
        let testing = ProcessInfo.processInfo.environment["AUDITCTL_ARGON2"] == "testing"
        let identity: EdgeIdentity
        do { identity = try EdgeIdentity.create(id: id, password: password, store: EdgeStateStore(directory: state),
                                                parameters: testing ? .testing : .moderate) } catch {
            throw CLIFailure(error.description, hint: "nothing was changed", code: .conflict)
        }
        if json { return Output.json(identity.jsonValue) }
        print("edge \(identity.id): key \(identity.publicKey.keyID.prefixed)")
        print("public key: \(identity.publicKey.base64)")
        print("next: an admin runs `auditctl edge enroll --id \(identity.id) --public-key \(identity.publicKey.base64) --name ...`, a second admin `auditctl user confirm \(identity.id)`")
    }
}

/// Runs on the ledger side: an admin enrolls an edge by its public key.
struct EdgeEnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll", abstract: "Enroll an edge by the public key `edge keygen` printed (admin; a second admin confirms).")
    @OptionGroup var records: RecordsOptions
    @Option(help: "Edge ID (never reused).") var id: String
    @Option(help: "Name shown in reports, e.g. 'Line 1 inference PC'.") var name: String
    @Option(name: .customLong("public-key"), help: "The edge's Ed25519 public key (base64) or a file holding edge-identity.json.") var publicKey: String
    @OptionGroup var admin: AdminOptions
    @Flag(help: "Print the entry as JSON.") var json = false

    func run() async throws {
        let key = try Self.parseKey(publicKey)
        let e = try await AdminAction.run(records: records, admin: admin) { service, creds, reason throws(RecordsError) in
            try await service.addEdge(id: id, printedName: name, publicKey: key, reason: reason, by: creds)
        }
        if json { return Output.json(Output.entryJSON(e)) }
        print("enrolled edge \(id) with key \(key.keyID.prefixed) at seq \(e.seq); an admin other than you confirms it with `auditctl user confirm \(id)`")
    }

    static func parseKey(_ text: String) throws -> Ed25519PublicKey {
        if let key = try? Ed25519PublicKey(base64: text) { return key }
        if FileManager.default.fileExists(atPath: text) {
            let raw = try SecretFile.read(text, what: "edge identity")
            if let json = try? JSONValue.parse(Array(raw.utf8), source: text), let b64 = json["publicKey"]?.stringValue,
               let key = try? Ed25519PublicKey(base64: b64) { return key }
        }
        throw CLIFailure("--public-key is neither a base64 Ed25519 public key nor an edge-identity.json file",
                         hint: "copy the 'public key:' line `auditctl edge keygen` printed", code: .malformedInput)
    }
}

struct EdgeUploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Append the signed decisions kept in --state to the ledger, in order, then set them aside.",
        discussion: "Only deployment decisions signed by an enrolled, confirmed edge are taken; anything else in the file is refused with its line. Holds the edge's state lock. Decisions the ledger already has (an interrupted upload) are skipped, so running it again is always safe.")

    @Option(help: "Edge state directory used with verify-bundle --state.") var state: String
    @OptionGroup var records: RecordsOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let service = try records.service()
        let edge = EdgeStateStore(directory: state)
        var appended = 0, skipped = 0
        do {
            _ = try await edge.withLock { () async throws -> Int in
                try await EdgeRecorder.drainDecisions(store: edge) { lines in
                    let r = try await recordsCall { () async throws(RecordsError) in
                        try await service.recordDeployments(lines, source: edge.decisionsFile)
                    }
                    appended = r.appended.count
                    skipped = r.alreadyRecorded
                }
            }
        } catch let e as CLIFailure {
            throw CLIFailure(e.message, hint: "nothing was set aside; " + e.hint, code: e.code)
        } catch {
            throw CLIFailure("\(error)", hint: "nothing was set aside; fix the cause and upload again", code: .storage)
        }
        if json { return Output.json(["uploaded": .number(Double(appended)), "alreadyRecorded": .number(Double(skipped)), "state": .string(state)]) }
        print("uploaded \(appended) decision(s) from \(state)\(skipped > 0 ? " (\(skipped) already in the ledger)" : "")")
    }
}
