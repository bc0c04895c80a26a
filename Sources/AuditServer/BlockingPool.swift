import Foundation

/// Dedicated threads for work that blocks: Argon2id (64–256 MiB, up to a second), SQLite
/// reads, ledger replay and the records file lock. Swift's cooperative pool has one thread
/// per core (two on a plant server) and Hummingbird's event loops must never block, so one
/// slow login there would stall every other request. Code run inside `run` (including
/// the async service calls it awaits) executes on these threads through task-executor
/// preference.
public final class BlockingPool: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `stopped` are only touched with `condition` held.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopped = false
    public let name: String

    public init(name: String, threads: Int) {
        self.name = name
        for i in 0..<max(1, threads) {
            let thread = Thread { [self] in self.loop() }
            thread.name = "\(name)-\(i)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` with this pool as its preferred executor.
    public func run<T: Sendable, E: Error>(_ body: () async throws(E) -> T) async throws(E) -> T {
        try await withTaskExecutorPreference(self, operation: body)
    }

    /// Lets the threads finish queued work and exit.
    public func shutdown() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while head == jobs.count && !stopped { condition.wait() }
            if head == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head > 256 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
