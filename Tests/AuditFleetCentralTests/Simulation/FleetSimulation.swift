import Testing

extension Tag {
    /// Real PostgreSQL, real `auditctl fleet serve` processes, many plant ledgers: the fleet
    /// simulation and fault tests (`swift test --filter FleetSimulation`; skipped with
    /// `--skip FleetSimulation`). Sized by `SimulationScale` to stay within `make test`'s budget.
    @Tag static var fleetSimulation: Self
}

/// The fleet issue's "Must show": 50 plants pushing to one central, and the faults (central
/// killed, PostgreSQL restarted, a week offline, pushes cut at a random byte). One test at a
/// time: each loads both cores, and they would only slow each other down.
@Suite(.serialized, .tags(.fleetSimulation)) struct FleetSimulation {}
