import AuditCrypto
import AuditFleet
import AuditLedger
import Foundation

/// What a push needs (the central's client, its witness key, this plant's ledger) built from
/// options or the environment, with the same errors and hints for `auditctl fleet push` and
/// for the background push of `auditctl serve --fleet-push-to`.
struct FleetPushSetup: Sendable {
    let client: FleetClient
    let witness: CosignerKey
    let store: LedgerStore
    let pusher: FleetPusher

    /// `urlOption` and `keyOption` name the options in the errors, so each command's user
    /// reads the option they actually typed.
    init(to: String?, witnessKey: String?, caFile: String?, home: LedgerHome, batch: Int, timeout: Double,
         urlOption: String = "--to", keyOption: String = "--witness-key", caOption: String = "--ca-file") throws {
        let environment = ProcessInfo.processInfo.environment
        guard let central = to ?? environment["AUDITCTL_FLEET_URL"] else {
            throw CLIFailure("no central given", hint: "pass \(urlOption) https://central.example or set AUDITCTL_FLEET_URL", code: .usage)
        }
        guard let keyText = witnessKey ?? environment["AUDITCTL_FLEET_WITNESS_KEY"] else {
            throw CLIFailure("no witness key given", hint: "pass \(keyOption) with the central's witness key (its admin has it), or set AUDITCTL_FLEET_WITNESS_KEY",
                             code: .usage)
        }
        witness = try WitnessKeyArgument.parse(keyText, option: keyOption)
        let trust: FleetTrust?
        do { trust = try FleetTrust.from(option: caFile, environment: environment) } catch {
            throw CLIFailure(error.description, hint: "give \(caOption) (or $\(FleetTrust.environmentVariable)) a PEM file of the CA that issued the central's certificate",
                             code: .usage)
        }
        do { client = try FleetClient(central: central, timeout: timeout, trust: trust) } catch {
            throw CLIFailure(error.description, hint: "give the central's base URL in \(urlOption), e.g. https://fleet.example.com", code: .usage)
        }
        do { store = try home.open() } catch { throw CLIFailure(ledgerError: error) }
        pusher = FleetPusher(store: store, transport: client, witness: witness, batchSize: batch)
    }

    /// The result line of a round: "pushed N entries in P pushes; central size S, cosigned by W".
    func summaryLine(_ s: FleetPushSummary) -> String {
        let cosigned = s.cosigned.map { $0.size == s.centralSize ? "cosigned by \(witness.name)" : "last cosigned at size \($0.size) by \(witness.name)" }
            ?? "not cosigned yet"
        return "pushed \(s.entriesPushed) entries in \(s.pushes) pushes; central size \(s.centralSize), \(cosigned)"
    }

    /// What an operator should notice about a successful round (a central that lost entries;
    /// entries still waiting for a signed checkpoint).
    func warnings(_ s: FleetPushSummary) -> [String] {
        var out: [String] = []
        if let rewind = s.centralRewound {
            out.append("warning: the central at \(client.displayURL) held \(rewind.held) entries after cosigning \(rewind.acknowledged): it lost entries (restored from a backup?) and was sent them again; tell its operators")
        }
        if s.uncheckpointedEntries > 0 {
            out.append("note: \(s.uncheckpointedEntries) newer entries are not yet covered by a signed checkpoint; they go with a later push")
        }
        return out
    }
}
