import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket on 127.0.0.1 whose accept loop hands each connection to a thread of
/// its own, for the plain-socket test servers (`ScriptedHTTPServer`, `TunnelProxy`).
///
/// It owns one descriptor and touches it under one rule: after the accept loop has closed it,
/// never again. The number then belongs to whatever this process opens next (a database
/// connection, another test's socket); a second `shutdown(2)` from a stopped server once cut
/// another test's PostgreSQL connection in a CI run (`ScriptedServerDescriptorTests`).
final class LoopbackListener: @unchecked Sendable {
    let port: Int
    let descriptor: Int32
    private let lock = NSLock()
    private var open = true
    private var stopped = false

    /// Binds and listens on a port the system picks; `start` begins accepting.
    init(backlog: Int32 = 64) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Accepts until `stop()`, calling `serve` with each connection on a new thread; `serve`
    /// owns (and closes) the connection's descriptor. The loop keeps `serve`, and whatever it
    /// captures, alive until the listener is closed.
    func start(_ serve: @escaping @Sendable (Int32) -> Void) {
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(descriptor, nil, nil)
                if connection >= 0 {
                    Thread.detachNewThread { serve(connection) }
                    continue
                }
                // EINTR and a connection aborted before it was accepted are not the end.
                if errno == EINTR || errno == ECONNABORTED { continue }
                lock.withLock {
                    open = false
                    close(descriptor)
                }
                return
            }
        }
    }

    /// Whether the listening socket is still open.
    var isListening: Bool { lock.withLock { open } }

    /// Stops accepting, once; later calls do nothing. Shutting the socket down wakes the
    /// accept loop, which closes it.
    func stop() {
        lock.withLock {
            guard open, !stopped else { return }
            stopped = true
            shutdown(descriptor, Int32(SHUT_RDWR))
        }
    }
}

/// Blocking socket helpers shared by the test servers.
enum SocketIO {
    /// Sends all of `bytes`; false when the peer went away.
    @discardableResult
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Reads up to the end of an HTTP head (`\r\n\r\n`): its lines, and the bytes after it.
    static func readHead(_ fd: Int32) -> (lines: [String], rest: [UInt8])? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            data += buffer[0..<n]
            if let end = find(separator, in: data) {
                let lines = String(decoding: data[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
                return (lines, Array(data[(end + separator.count)...]))
            }
        }
    }

    /// Header fields of a head's lines, names lowercased.
    static func headers(_ lines: [String]) -> [String: String] {
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }
}
