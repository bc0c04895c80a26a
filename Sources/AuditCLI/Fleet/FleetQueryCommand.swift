import ArgumentParser
import AuditCore
import AuditFleet
import Foundation

/// `auditctl fleet query …`: the fleet-wide questions, asked of a running central over HTTP
/// with a reader's token (Docs/fleet.md, "Fleet queries"). A thin shell over `FleetQueryClient`.
struct FleetQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Ask the central fleet service: plant health, deployments, changes waiting for signatures, a model's entries.",
        subcommands: [Plants.self, Deployments.self, Changes.self, Entries.self])

    struct Connection: ParsableArguments {
        @Option(name: .customLong("url"), help: "The central's base URL, e.g. https://fleet.example.com (default: $AUDITCTL_FLEET_URL).")
        var url: String?
        @Option(name: .customLong("token-file"), help: "File holding a reader's bearer token (default: $AUDITCTL_FLEET_TOKEN_FILE).")
        var tokenFile: String?
        @Option(name: .customLong("ca-file"),
                help: "PEM file of CAs trusted for the central's HTTPS certificate, beside the system's (default: $AUDITCTL_FLEET_CA_FILE).")
        var caFile: String?
        @Flag(help: "Print the central's JSON answer.") var json = false

        func get(_ resource: String, _ parameters: [(String, String?)]) async throws -> JSONValue {
            let env = ProcessInfo.processInfo.environment
            guard let base = url ?? env["AUDITCTL_FLEET_URL"], !base.isEmpty else {
                throw CLIFailure("no central URL given", hint: "pass --url https://fleet.example.com or set AUDITCTL_FLEET_URL", code: .usage)
            }
            guard let file = tokenFile ?? env["AUDITCTL_FLEET_TOKEN_FILE"] else {
                throw CLIFailure("no reader token given", hint: "pass --token-file (a token listed in the central's --query-token-file)", code: .usage)
            }
            let token = try SecretFile.read(file, what: "reader token")
            do {
                let trust = try FleetTrust.from(option: caFile, environment: env)
                let client = try FleetQueryClient(central: base, token: token, trust: trust)
                return try await client.get(resource, parameters.compactMap { k, v in v.map { (k, $0) } })
            } catch {
                switch error {
                case .unexpectedStatus(401, let message):
                    throw CLIFailure("the central refused the reader token: \(message)", hint: "use a token from the central's --query-token-file", code: .authenticationFailed)
                case .unexpectedStatus(let status, let message) where status == 400 || status == 404:
                    throw CLIFailure("the central refused the query: \(message)", hint: "see `auditctl fleet query --help` and Docs/fleet.md", code: .malformedInput)
                case .badURL:
                    throw CLIFailure(error.description, hint: "give the central's base URL, e.g. https://fleet.example.com", code: .usage)
                case .trustFile:
                    throw CLIFailure(error.description, hint: "give --ca-file a PEM file of the CA that issued the central's certificate", code: .usage)
                default:
                    throw CLIFailure(error.description, hint: "check that `auditctl fleet serve` runs at that URL; nothing was changed", code: .unavailable)
                }
            }
        }
    }

    struct Plants: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every plant: entries mirrored, last push, lag, alarms.")
        @OptionGroup var connection: Connection
        @Option(help: "Only this plant origin.") var plant: String?
        @Option(name: .customLong("stale-after"), help: "Seconds without a push after which a plant shows as stale.") var staleAfter: Int?

        func run() async throws {
            let answer = try await connection.get("plants", [("plant", plant), ("staleAfter", staleAfter.map(String.init))])
            if connection.json { return Output.json(answer) }
            for p in answer["plants"]?.arrayValue ?? [] {
                print([p["status"]?.stringValue ?? "", p["origin"]?.stringValue ?? "", "size \(int(p["size"]))",
                       "last push \(p["lastPushAt"]?.stringValue ?? "never")", "alarms \(int(p["alarms"]))"].joined(separator: "  "))
            }
        }
    }

    struct Deployments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Which model version runs in which zone at which plant (or every decision with --history).")
        @OptionGroup var connection: Connection
        @Option var plant: String?
        @Option var model: String?
        @Option var version: String?
        @Option var zone: String?
        @Flag(help: "Every edge decision, loaded and blocked, instead of what runs now.") var history = false

        func run() async throws {
            let answer = try await connection.get("deployments", [("plant", plant), ("model", model), ("version", version),
                                                                   ("zone", zone), ("history", history ? "true" : nil)])
            if connection.json { return Output.json(answer) }
            for d in answer["deployments"]?.arrayValue ?? [] {
                print([d["plant"]?.stringValue ?? "", d["zone"]?.stringValue ?? "-", d["edge"]?.stringValue ?? "",
                       "\(d["model"]?.stringValue ?? "?") \(d["version"]?.stringValue ?? "?")", d["verdict"]?.stringValue ?? "",
                       d["time"]?.stringValue ?? ""].joined(separator: "  "))
            }
        }
    }

    struct Changes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Changes across plants; by default those waiting for signatures, with the roles still missing.")
        @OptionGroup var connection: Connection
        @Option var plant: String?
        @Option var model: String?
        @Option(help: "pending (default), approved, rejected, expired, undecided or all.") var status: String?

        func run() async throws {
            let answer = try await connection.get("changes", [("plant", plant), ("model", model), ("status", status)])
            if connection.json { return Output.json(answer) }
            for c in answer["changes"]?.arrayValue ?? [] {
                let waiting = (c["waitingFor"]?.arrayValue ?? []).map { "\($0["role"]?.stringValue ?? "") ×\(int($0["missing"]))" }
                print([c["plant"]?.stringValue ?? "", c["changeId"]?.stringValue ?? "",
                       "\(c["model"]?.stringValue ?? "") \(c["version"]?.stringValue ?? "")", c["status"]?.stringValue ?? "",
                       waiting.isEmpty ? "" : "waiting for " + waiting.joined(separator: ", "),
                       c["deadline"]?.stringValue.map { "deadline \($0)" } ?? ""].filter { !$0.isEmpty }.joined(separator: "  "))
            }
        }
    }

    struct Entries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every entry about a model across plants, one page at a time.")
        @OptionGroup var connection: Connection
        @Option var model: String
        @Option var plant: String?
        @Option(help: "Entries per page (1…1000).") var limit = 100
        @Option(help: "The `next` cursor of the previous page.") var after: String?

        func run() async throws {
            let answer = try await connection.get("entries", [("model", model), ("plant", plant), ("limit", String(limit)), ("after", after)])
            if connection.json { return Output.json(answer) }
            for e in answer["entries"]?.arrayValue ?? [] {
                print([e["plant"]?.stringValue ?? "", "#\(int(e["seq"]))", e["time"]?.stringValue ?? "", e["kind"]?.stringValue ?? "",
                       e["actor"]?.stringValue ?? "", e["subject"]?.stringValue ?? ""].joined(separator: "  "))
            }
            if let next = answer["next"]?.stringValue { print("next page: --after \(next)") }
        }
    }
}

private func int(_ v: JSONValue?) -> Int { Int(v?.int64Value ?? 0) }
