import AuditBundle
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A one-line hashing progress bar on stderr, only when stderr is a terminal and the
/// bundle is large enough for it to matter (about 100 MB); redrawn at most 10 times a second.
final class ProgressBar: Sendable {
    static let threshold = 100 * 1000 * 1000

    private let started = Date()
    private let lastDraw = Mutex<Double>(0)

    /// A progress callback, or nil when no bar should be drawn.
    static func callback() -> HashProgress? {
        guard isatty(2) == 1 else { return nil }
        let bar = ProgressBar()
        return { done, total in bar.update(done: done, total: total) }
    }

    func update(done: Int, total: Int) {
        guard total >= Self.threshold else { return }
        let elapsed = Date().timeIntervalSince(started)
        let shouldDraw = lastDraw.withLock { last -> Bool in
            guard elapsed - last >= 0.1 || done == total else { return false }
            last = elapsed
            return true
        }
        guard shouldDraw else { return }
        let fraction = Double(done) / Double(max(total, 1))
        let width = 30
        let filled = Int(fraction * Double(width))
        let rate = elapsed > 0 ? Double(done) / elapsed / 1e9 : 0
        var line = "\rhashing [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
        line += String(format: "%3.0f%%  %.2f/%.2f GB  %.2f GB/s", fraction * 100, Double(done) / 1e9, Double(total) / 1e9, rate)
        if done == total { line += "\n" }
        Terminal.writeStderr(line)
    }
}
