import AuditExport
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on stderr for long exports and verifications, drawn only when
/// stderr is a terminal and redrawn at most 10 times a second.
final class ExportProgressBar: Sendable {
    private let started = Date()
    private let lastDraw = Mutex<(Double, String)>((0, ""))

    static func callback() -> ExportProgress? {
        guard isatty(2) == 1 else { return nil }
        let bar = ExportProgressBar()
        return { phase, done, total in bar.update(phase: phase, done: done, total: total) }
    }

    func update(phase: String, done: Int, total: Int) {
        let elapsed = Date().timeIntervalSince(started)
        let finished = done >= total
        let draw = lastDraw.withLock { state -> Bool in
            guard elapsed - state.0 >= 0.1 || finished || state.1 != phase else { return false }
            state = (elapsed, phase)
            return true
        }
        guard draw else { return }
        let fraction = Double(done) / Double(max(total, 1))
        let filled = Int(fraction * 30)
        var line = "\r\(phase.padding(toLength: 8, withPad: " ", startingAt: 0)) [" + String(repeating: "#", count: filled)
            + String(repeating: " ", count: 30 - filled) + "] " + String(format: "%3.0f%%  %d/%d", fraction * 100, done, total)
        if finished { line += "\n" }
        Terminal.writeStderr(line)
    }
}
