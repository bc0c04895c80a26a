/// Lets one action at a time into the action threads. Every action takes the data
/// directory's records lock (a blocking `flock`) and then awaits its append; if several
/// actions waited for the lock on the action threads, the holder could find no thread to
/// resume on after its append and all would wait forever. Waiting here suspends the task
/// instead of blocking a thread. The records lock still orders this process against the
/// CLI and other processes, exactly as before.
actor ActionGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the gate to the next waiter (first come, first served) or opens it.
    func leave() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
