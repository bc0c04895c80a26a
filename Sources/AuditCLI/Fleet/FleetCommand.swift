import ArgumentParser

/// `auditctl fleet ...`: a plant's side of the central fleet service (Docs/fleet.md).
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet", abstract: "Push this plant's ledger to the central fleet service, which witnesses it.",
        subcommands: [FleetPushCommand.self])
}
