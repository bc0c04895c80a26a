import AuditFiles
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child's output read through a pipe, as it comes, by a plain thread that calls read(2).
///
/// Not `FileHandle.readabilityHandler`: that registers the pipe with libdispatch, and on Linux
/// a dispatch source whose descriptor is closed and reused (this process opens and closes
/// hundreds per second while tests run in parallel) can crash libdispatch's event loop
/// (`_dispatch_event_loop_drain`, the crash swift-subprocess left DispatchIO over). Nor
/// `availableData`, which turns an EINTR into a fatal error.
public final class PipeCollector: @unchecked Sendable {
    private let readEnd: Int32
    private var writeEnd: Int32
    private let lock = NSLock()
    private var bytes = Data()
    private let finished = DispatchSemaphore(value: 0)

    public init() throws {
        var fds: [Int32] = [0, 0]
        // Close-on-exec, so no child but the one given `stream` holds it (`ChildSpawn` closes
        // every descriptor above 2 in its children anyway).
        guard pipe(&fds) == 0 else { throw SpawnError(reason: "pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        (readEnd, writeEnd) = (fds[0], fds[1])
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if n > 0 {
                    lock.withLock { bytes.append(contentsOf: buffer[0..<n]) }
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(readEnd)
            finished.signal()
        }
    }

    /// The stream to give the child (its stdout or stderr).
    public var stream: ChildStream { .descriptor(writeEnd) }

    /// Closes this process's copy of the write end; call it once the child has started, so
    /// the reader sees end of file when the child (and whatever it started) exits.
    public func childStarted() {
        lock.withLock {
            if writeEnd >= 0 { close(writeEnd); writeEnd = -1 }
        }
    }

    /// Everything read so far, as UTF-8 text.
    public var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }

    /// Waits for end of file, then returns everything the child wrote.
    public func waitForEnd() -> String {
        childStarted()
        finished.wait()
        finished.signal()
        return text
    }

    deinit { if writeEnd >= 0 { close(writeEnd) } }
}
