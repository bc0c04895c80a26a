import Foundation

/// A production line that keeps writing: appends a few entries to a plant's ledger every
/// `interval` until stopped, so pushes always have new work while a fault is injected.
final class BackgroundAppender: @unchecked Sendable {
    private var task: Task<Void, any Error>?

    init(_ plant: SimulatedPlant, seed: UInt64, interval: Duration = .milliseconds(25)) {
        task = Task {
            var rng = SeededRandom(seed: seed)
            while !Task.isCancelled {
                try await plant.append(Int.random(in: 1...4, using: &rng), maxBatch: 4, using: &rng)
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// A test that fails half way leaves no line appending behind it.
    deinit { task?.cancel() }

    /// Stops appending; rethrows an append that failed (an honest plant's appends never do).
    func stop() async throws {
        task?.cancel()
        try await task?.value
        task = nil
    }
}
