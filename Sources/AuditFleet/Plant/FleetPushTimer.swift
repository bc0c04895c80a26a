/// A plant's push schedule: `pushUntilCurrent` now, then again every `interval`, until the
/// task running it is cancelled. Failures do not end it (a central that is down is the normal
/// case it rides out); each round's outcome goes to `report`. Shared by `auditctl fleet push
/// --every` and the background push of `auditctl serve --fleet-push-to`, so both behave alike.
public struct FleetPushTimer: Sendable {
    public let pusher: FleetPusher
    public let interval: Duration

    public init(pusher: FleetPusher, interval: Duration) {
        self.pusher = pusher
        self.interval = interval
    }

    /// Returns once the surrounding task is cancelled. A push in flight when that happens may
    /// end as a transport error, which is harmless: the next run resumes where the central stands.
    public func run(report: @Sendable (Result<FleetPushSummary, FleetPushError>) async -> Void) async {
        while !Task.isCancelled {
            let outcome: Result<FleetPushSummary, FleetPushError>
            do { outcome = .success(try await pusher.pushUntilCurrent()) } catch { outcome = .failure(error) }
            if Task.isCancelled { return }
            await report(outcome)
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
