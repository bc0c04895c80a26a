import ArgumentParser
import AuditCore
import AuditCrypto
import AuditFleet
import AuditLedger
import Foundation

/// `auditctl fleet push`: brings the central fleet service up to this plant's newest signed
/// checkpoint and stores the witness's cosignatures in the ledger file. A thin shell over
/// `FleetPusher`; run it from a timer, or with `--every` as a service.
struct FleetPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push this ledger's new entries to the central fleet service and keep its witness cosignatures.",
        discussion: """
        Resumes where the central stands (its last cosignature stored here, corrected by the \
        central's 409) and pushes batches until the central holds the newest signed checkpoint. \
        Every cosignature is verified with --witness-key before it is stored. Needs no log key: \
        it sends only checkpoints the log key signed at append time. Without --every: push until \
        current, then exit. With --every: repeat every SECONDS, logging each round and riding out \
        a central that is down. Exit codes: Docs/exit-codes.md (1: the central's copy and this \
        ledger disagree, 10: the central cannot be reached).
        """)

    @Option(help: ArgumentHelp("The central fleet service's base URL, http(s)://host[:port][/prefix] (or $AUDITCTL_FLEET_URL).",
                               valueName: "url"))
    var to: String?
    @Option(name: .customLong("witness-key"),
            help: ArgumentHelp("The central's witness key (name+hash+base64), or a file holding it (or $AUDITCTL_FLEET_WITNESS_KEY).",
                               valueName: "key"))
    var witnessKey: String?
    @Option(name: .customLong("ca-file"),
            help: ArgumentHelp("PEM file of CAs trusted for the central's HTTPS certificate, beside the system's (or $AUDITCTL_FLEET_CA_FILE).",
                               valueName: "file"))
    var caFile: String?
    @Option(name: .customLong("data-dir"), help: "Data directory (default: $AUDITCTL_DATA_DIR or ./auditctl-data).")
    var dataDir: String?
    @Option(help: ArgumentHelp("Entries per push, 1 to \(FleetPush.maxEntries).", valueName: "n")) var batch = 5_000
    @Option(help: ArgumentHelp("Repeat every SECONDS until stopped (timer mode).", valueName: "seconds")) var every: Double?
    @Option(help: ArgumentHelp("Seconds the central may stay silent before a push is given up.", valueName: "seconds"))
    var timeout: Double = 60
    @Flag(help: "Print as JSON (one object per round).") var json = false

    func validate() throws {
        guard (1...FleetPush.maxEntries).contains(batch) else { throw ValidationError("--batch must be between 1 and \(FleetPush.maxEntries)") }
        if let every, !(every >= 1) { throw ValidationError("--every must be at least 1 second") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let home = LedgerHome(directory: dataDir ?? ProcessInfo.processInfo.environment["AUDITCTL_DATA_DIR"] ?? "auditctl-data")
        let setup = try FleetPushSetup(to: to, witnessKey: witnessKey, caFile: caFile, home: home, batch: batch, timeout: timeout)
        guard let every else {
            let summary: FleetPushSummary
            do { summary = try await setup.pusher.pushUntilCurrent() } catch { throw Self.failure(error, store: setup.store, client: setup.client) }
            report(summary, setup: setup, timestamped: false)
            return
        }
        await FleetPushTimer(pusher: setup.pusher, interval: .milliseconds(Int64(every * 1000))).run { outcome in
            switch outcome {
            case .success(let summary): report(summary, setup: setup, timestamped: true)
            case .failure(let error):
                let failure = Self.failure(error, store: setup.store, client: setup.client)
                Terminal.writeStderr("\(UTCTime.now()) error: \(failure.message) (exit \(failure.code.rawValue) without --every); next round in \(Int(every)) s\n")
            }
        }
    }

    /// One line per round on stdout (results), warnings on stderr.
    private func report(_ s: FleetPushSummary, setup: FleetPushSetup, timestamped: Bool) {
        let prefix = timestamped ? UTCTime.now() + " " : ""
        for warning in setup.warnings(s) { Terminal.writeStderr(prefix + warning + "\n") }
        if json {
            var o: [String: JSONValue] = [
                "pushes": .number(Double(s.pushes)), "entriesPushed": .number(Double(s.entriesPushed)),
                "conflicts": .number(Double(s.conflicts)), "centralSize": .number(Double(s.centralSize)),
                "uncheckpointedEntries": .number(Double(s.uncheckpointedEntries)),
                "witness": .object(["name": .string(setup.witness.name), "keyHash": .string(KeyHashText.hex(setup.witness.keyHash))]),
                "cosigned": s.cosigned.map { .object(["size": .number(Double($0.size)), "timestamp": .number(Double($0.timestamp)),
                                                      "time": .string(UTCTime.format(Date(timeIntervalSince1970: Double($0.timestamp))))]) } ?? .null,
            ]
            if timestamped { o["time"] = .string(UTCTime.now()) }
            Output.json(.object(o))
        } else {
            print(prefix + setup.summaryLine(s))
        }
        fflush(nil)
    }

    /// The one place push failures become `error:`/`hint:` lines and exit codes.
    static func failure(_ error: FleetPushError, store: LedgerStore, client: FleetClient) -> CLIFailure {
        let alarm = "do not ship bundles from this ledger until QA has compared it with the central's copy (`auditctl verify`); the central keeps what it holds"
        switch error {
        case .ledger(let e):
            return CLIFailure(ledgerError: e)
        case .centralAhead:
            return CLIFailure(error.description, hint: alarm, code: .verificationFailed)
        case .cosignature:
            return CLIFailure(error.description, hint: "check that --witness-key is the witness key of the central at \(client.displayURL); if it is, the answer was altered on the way",
                              code: .verificationFailed)
        case .conflictLoop:
            return CLIFailure(error.description, hint: "tell the central's operators; retry later", code: .unavailable)
        case .central(let e):
            switch e {
            case .refused(.unknownOrigin, _):
                return CLIFailure(e.description, hint: "have the central's admin enroll this plant: origin '\(store.origin)', verifier key \(store.verifierKey)",
                                  code: .notFound)
            case .refused(.notSignedByEnrolledKey, _):
                return CLIFailure(e.description, hint: "the central enrolled another verifier key for origin '\(store.origin)'; this ledger's is \(store.verifierKey)",
                                  code: .authenticationFailed)
            case .refused(.malformed, _), .pushTooLarge:
                return CLIFailure(e.description, hint: "the central and this plant may run incompatible auditctl releases", code: .malformedInput)
            case .refused(.inconsistent, _):
                return CLIFailure(e.description, hint: "ALARM: the central's copy and this ledger disagree (a fork or a rewritten history); " + alarm,
                                  code: .verificationFailed)
            case .invalidPush:
                return CLIFailure(e.description, hint: "run `auditctl verify`: a stored checkpoint is damaged", code: .verificationFailed)
            case .badURL:
                return CLIFailure(e.description, hint: "give the central's base URL, e.g. https://fleet.example.com", code: .usage)
            case .trustFile:
                return CLIFailure(e.description, hint: "give --ca-file a PEM file of the CA that issued the central's certificate", code: .usage)
            case .timeout, .transport, .unexpectedStatus, .responseTooLarge, .malformedResponse:
                return CLIFailure(e.description, hint: "nothing was lost: the next push resumes where the central stands; retry later (or run with --every)",
                                  code: .unavailable)
            }
        }
    }
}
