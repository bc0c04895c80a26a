import ArgumentParser

/// `auditctl fleet …`: the central fleet service that mirrors and witnesses every plant's
/// ledger, and a plant's push to it (Docs/fleet.md). One subcommand per file in this folder.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Push this plant's ledger to the central fleet service, or run and administer that service (PostgreSQL).",
        subcommands: [FleetPushCommand.self, FleetInitCommand.self, FleetEnrollCommand.self, FleetServeCommand.self, FleetQueryCommand.self, FleetVerifyCommand.self])
}
