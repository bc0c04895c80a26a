/// Delivers one push to the central and brings back its answer. `FleetClient` does it over
/// HTTP; tests put an in-memory central behind it to interrupt a push at any point.
public protocol FleetPushTransport: Sendable {
    func send(_ push: FleetPush) async throws(FleetClientError) -> FleetPushOutcome
}
