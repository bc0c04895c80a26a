import Foundation

/// How big the simulation and fault tests run. The defaults keep them within `make test`'s
/// budget on two busy cores; the environment scales them up on a bigger machine (the fleet
/// benchmark, Benchmarks/Sources/FleetBench, runs the large case: 50 × 20,000 entries).
enum SimulationScale {
    /// Plants in the simulation (the 50).
    static let plants = int("AUDITCTL_FLEET_SIM_PLANTS", 50)
    /// Entries each simulated plant appends while pushing.
    static let entriesPerPlant = int("AUDITCTL_FLEET_SIM_ENTRIES", 300)
    /// Kill -9 rounds of the central (the 20).
    static let killRounds = int("AUDITCTL_FLEET_SIM_KILL_ROUNDS", 20)
    /// Entries a plant appends while cut off for a week.
    static let offlineEntries = int("AUDITCTL_FLEET_SIM_OFFLINE_ENTRIES", 6_000)
    /// Pushes cut at a random byte (the 20).
    static let cutPushes = int("AUDITCTL_FLEET_SIM_CUTS", 20)
    /// Rounds of killing every central database session under push load.
    static let terminateRounds = int("AUDITCTL_FLEET_SIM_TERMINATE_ROUNDS", 600)

    private static func int(_ name: String, _ fallback: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init).map { max(1, $0) } ?? fallback
    }
}
