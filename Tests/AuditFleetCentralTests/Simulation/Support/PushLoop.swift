import AuditFleet
import Foundation

/// A plant's push timer (`auditctl fleet push --every`) run in-process: pushes until current,
/// waits its interval, again, riding out a central that is down. Records what the plant saw
/// so a test can assert that faults failed cleanly (transient errors only) and never raised
/// an alarm on an honest plant.
final class PushLoop: @unchecked Sendable {
    struct Record: Sendable {
        var rounds = 0
        var pushes = 0
        var entriesPushed = 0
        var conflicts = 0
        /// Failures a retry cures (central unreachable, cut off, 5xx), newest last.
        var transient: [FleetPushError] = []
        /// Anything else: an alarm, a refusal, a ledger error. An honest plant sees none.
        var unexpected: [FleetPushError] = []
        /// Rounds that ended with the central holding everything signed at their start.
        var currentRounds = 0
    }

    let plant: SimulatedPlant
    let pusher: FleetPusher
    let interval: Duration
    private let lock = NSLock()
    private var state = Record()
    private var task: Task<Void, Never>?
    /// Set by `stop()`: the loop ends after the round in progress. Cancelling the task instead
    /// would cancel that round's HTTP request, and the test would record a failure it caused.
    private var stopping = false

    init(plant: SimulatedPlant, pusher: FleetPusher, interval: Duration = .milliseconds(50)) {
        self.plant = plant
        self.pusher = pusher
        self.interval = interval
    }

    var record: Record { lock.withLock { state } }
    private var isStopping: Bool { lock.withLock { stopping } }

    func start() {
        let interval = self.interval
        task = Task { [weak self] in
            while !Task.isCancelled, let loop = self, !loop.isStopping {
                await loop.round()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// A test that fails half way leaves no timer running behind it.
    deinit { task?.cancel() }

    /// Stops the timer and waits for a round in progress to end (it is not cut short).
    func stop() async {
        lock.withLock { stopping = true }
        await task?.value
        task = nil
    }

    /// One `pushUntilCurrent`, recorded; returns its summary when it succeeded.
    @discardableResult
    func round() async -> FleetPushSummary? {
        do {
            let summary = try await pusher.pushUntilCurrent()
            lock.withLock {
                state.rounds += 1
                state.pushes += summary.pushes
                state.entriesPushed += summary.entriesPushed
                state.conflicts += summary.conflicts
                if summary.uncheckpointedEntries == 0 { state.currentRounds += 1 }
            }
            return summary
        } catch {
            lock.withLock {
                state.rounds += 1
                if case .central(let e) = error, e.isTransient { state.transient.append(error) } else { state.unexpected.append(error) }
            }
            return nil
        }
    }

    /// After the faults: pushes until current with the plain loop, which must now succeed.
    func finish() async throws -> FleetPushSummary {
        await stop()
        return try await pusher.pushUntilCurrent()
    }
}
