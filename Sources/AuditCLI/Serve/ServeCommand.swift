import ArgumentParser
import AuditCrypto
import AuditFleet
import AuditLedger
import AuditRecords
import AuditServer
import Foundation
import Logging

/// `auditctl serve`: the HTTP service for reviewers (pages), plant tools (JSON API under
/// /api/v1) and monitoring (/metrics). A thin shell: `AuditServer` does the work.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP service: reviewer web pages, the JSON API (Schemas/openapi.yaml) and metrics.",
        discussion: """
        The log key must be unlocked (failed logins and lockouts are entries signed with it). \
        Listening anywhere but the loopback needs --tls-cert and --tls-key. Session limits and \
        lockout come from the approval policy recorded in the ledger. The CLI may run on the \
        same data directory at the same time. Stop with Ctrl-C (SIGINT) or SIGTERM. \
        With --fleet-push-to, the service also pushes this ledger to the central fleet service \
        every --fleet-push-every seconds, as `auditctl fleet push --every` would, and logs each \
        round (Docs/fleet.md).
        """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Address and port to listen on (host:port).") var listen = "127.0.0.1:8080"
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain for HTTPS.") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key for HTTPS.") var tlsKey: String?
    @Option(name: .customLong("metrics-token-file"), help: "File with a bearer token that lets a Prometheus scraper read /metrics.")
    var metricsTokenFile: String?
    @Option(name: .customLong("fleet-push-to"),
            help: ArgumentHelp("Also push this ledger to the central fleet service at this base URL, in the background.", valueName: "url"))
    var fleetPushTo: String?
    @Option(name: .customLong("fleet-witness-key"),
            help: ArgumentHelp("The central's witness key (name+hash+base64) or a file holding it (or $AUDITCTL_FLEET_WITNESS_KEY).", valueName: "key"))
    var fleetWitnessKey: String?
    @Option(name: .customLong("fleet-ca-file"),
            help: ArgumentHelp("PEM file of CAs trusted for the central's HTTPS certificate, beside the system's (or $AUDITCTL_FLEET_CA_FILE).",
                               valueName: "file"))
    var fleetCAFile: String?
    @Option(name: .customLong("fleet-push-every"), help: ArgumentHelp("Seconds between background pushes.", valueName: "seconds"))
    var fleetPushEvery: Double = 60

    func validate() throws {
        guard fleetPushEvery >= 1 else { throw ValidationError("--fleet-push-every must be at least 1 second") }
        if fleetPushTo == nil, fleetWitnessKey != nil { throw ValidationError("--fleet-witness-key needs --fleet-push-to") }
        if fleetPushTo == nil, fleetCAFile != nil { throw ValidationError("--fleet-ca-file needs --fleet-push-to") }
    }

    func run() async throws {
        let (host, port) = try Self.parseListen(listen)
        guard let key = try ledger.keySource(promptIfInteractive: true) else {
            throw CLIFailure("the log key is not unlocked", hint: "pass --log-key-password-file or --log-key-file (or AUDITCTL_LOG_KEY_PASSWORD_FILE): failed logins are recorded as entries signed with it",
                             code: .authenticationFailed)
        }
        var options = ServerOptions(dataDirectory: ledger.home.directory, logKey: key)
        options.host = host
        options.port = port
        options.tlsCertificatePath = tlsCert
        options.tlsKeyPath = tlsKey
        if ProcessInfo.processInfo.environment["AUDITCTL_ARGON2"] == "testing" { options.records = .testing }
        if let file = metricsTokenFile {
            options.metricsTokenDigest = SHA256.hash(Array(try SecretFile.read(file, what: "metrics token").utf8)).bytes
        }
        let push = try fleetPushTo.map { url in
            try FleetPushSetup(to: url, witnessKey: fleetWitnessKey, caFile: fleetCAFile, home: ledger.home, batch: 5_000, timeout: 60,
                               urlOption: "--fleet-push-to", keyOption: "--fleet-witness-key", caOption: "--fleet-ca-file")
        }
        let server: AuditServerApp
        do { server = try AuditServerApp(options: options) } catch let e as ServerSetupError {
            if case .ledger(let l) = e { throw CLIFailure(ledgerError: l) }
            throw CLIFailure(e.description, hint: "see `auditctl serve --help` and Docs/threat-model.md", code: .usage)
        }
        var logger = Logger(label: "auditctl.serve")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let scheme = options.usesTLS ? "https" : "http"
        let directory = ledger.home.directory
        let every = fleetPushEvery
        let serverLogger = logger
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.run(logger: serverLogger) { bound in
                    // Unbuffered: scripts wait for this line to know the server is up.
                    let line = "auditctl: serving \(directory) at \(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(bound)/\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
            }
            if let push {
                group.addTask { await Self.pushInBackground(push, every: every, logLevel: serverLogger.logLevel) }
            }
            // The server ends on SIGINT/SIGTERM (or fails); the background push ends with it.
            try await group.next()
            group.cancelAll()
        }
    }

    /// The background push: `FleetPushTimer`, each round logged (an idle round at debug level,
    /// a refusal or alarm at error level, an unreachable central as a warning).
    static func pushInBackground(_ push: FleetPushSetup, every: Double, logLevel: Logger.Level) async {
        let logger = { var l = Logger(label: "auditctl.fleet-push"); l.logLevel = logLevel; return l }()
        let central: Logger.Metadata = ["central": "\(push.client.displayURL)", "every": "\(Int(every))s"]
        logger.info("pushing this ledger to the central fleet service in the background", metadata: central)
        await FleetPushTimer(pusher: push.pusher, interval: .milliseconds(Int64(every * 1000))).run { outcome in
            switch outcome {
            case .success(let summary):
                for warning in push.warnings(summary) { logger.warning("\(warning)", metadata: central) }
                let level: Logger.Level = summary.pushes > 0 || summary.conflicts > 0 ? .info : .debug
                logger.log(level: level, "\(push.summaryLine(summary))", metadata: central)
            case .failure(let error):
                let failure = FleetPushCommand.failure(error, store: push.store, client: push.client)
                let level: Logger.Level = failure.code == .unavailable ? .warning : .error
                logger.log(level: level, "fleet push failed: \(failure.message); next round in \(Int(every)) s",
                           metadata: central.merging(["hint": "\(failure.hint)"]) { a, _ in a })
            }
        }
    }

    static func parseListen(_ text: String) throws -> (String, Int) {
        var host = text, portText = ""
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = String(text[close...].dropFirst(2))
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
            throw CLIFailure("--listen '\(text)' is not host:port", hint: "for example 127.0.0.1:8080 or [::1]:8443", code: .usage)
        }
        return (host, port)
    }
}
