import ArgumentParser
import AuditCrypto
import AuditFleetCentral
import Foundation
import Hummingbird

/// `auditctl fleet serve`: the central's HTTP service. A thin shell over `FleetServer`.
struct FleetServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the central fleet service: plant pushes, witness cosignatures, the central log and its proofs.",
        discussion: """
        Endpoints (Docs/fleet.md): POST /fleet/v1/push, GET /fleet/v1/witness, \
        GET /fleet/v1/log/checkpoint, /fleet/v1/log/proof/inclusion?seq=&size=, \
        /fleet/v1/log/proof/consistency?from=&to=, /fleet/v1/log/entries?start=&limit=, \
        /fleet/v1/plants, /fleet/v1/deployments, /fleet/v1/changes, /fleet/v1/entries (reader token), \
        /healthz, /readyz, /metrics. Listening anywhere but the loopback needs --tls-cert and \
        --tls-key. Several instances may serve one database (PostgreSQL serializes pushes \
        per plant). Stop with Ctrl-C (SIGINT) or SIGTERM.
        """)

    @OptionGroup var database: FleetDatabaseOptions
    @OptionGroup var keys: FleetKeyOptions
    @Option(help: "Address and port to listen on (host:port).") var listen = "127.0.0.1:8090"
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain for HTTPS.") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key for HTTPS.") var tlsKey: String?
    @Option(name: .customLong("metrics-token-file"), help: "File with a bearer token a Prometheus scraper must present at /metrics.")
    var metricsTokenFile: String?
    @Option(name: .customLong("query-token-file"),
            help: "File with the fleet readers' bearer tokens, one per line; the query routes (/fleet/v1/plants, deployments, changes, entries) stay closed without it.")
    var queryTokenFile: String?

    func run() async throws {
        let url = try database.url()
        let (host, port) = try ServeCommand.parseListen(listen)
        var options = FleetServerOptions()
        options.host = host
        options.port = port
        options.tlsCertificatePath = tlsCert
        options.tlsKeyPath = tlsKey
        if let file = metricsTokenFile {
            options.metricsTokenDigest = SHA256.hash(Array(try SecretFile.read(file, what: "metrics token").utf8)).bytes
        }
        if let file = queryTokenFile {
            let tokens = try SecretFile.read(file, what: "query token").split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !tokens.isEmpty, tokens.allSatisfy({ $0.utf8.count >= 16 }) else {
                throw CLIFailure("\(file): every reader token must have at least 16 characters, and one is needed",
                                 hint: "generate one with `openssl rand -hex 32`", code: .malformedInput)
            }
            options.queryTokenDigests = tokens.map { SHA256.hash(Array($0.utf8)).bytes }
        }
        let unlocked = try keys.unlock()
        let logger = FleetLogging.logger("auditctl.fleet")
        let scheme = options.usesTLS ? "https" : "http"
        try await withFleetDatabase(url, logger: logger) { [options] db in
            let central = try await FleetCentral.open(database: db, keys: unlocked, logger: logger)
            let server = try FleetServer(central: central, options: options)
            let app = try server.application(logger: logger) { bound in
                // Unbuffered: scripts wait for this line to know the service is up.
                let line = "auditctl: fleet central \(central.origin) serving at \(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(bound)/ (database \(url.redacted))\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            try await app.runService()
        }
    }
}
