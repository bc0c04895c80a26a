import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 responder on 127.0.0.1 for client tests, driven by plain sockets so a test
/// can answer anything: a well-formed reply, garbage, an endless body, a connection dropped
/// mid-answer, or silence. One thread per connection, `Connection: close` on every reply.
/// It also plays an HTTP proxy: a CONNECT opens a tunnel to the scripted answers.
public final class ScriptedHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public let method: String
        public let path: String
        /// Header names lowercased.
        public let headers: [String: String]
        public let body: [UInt8]
    }

    public enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        /// Sends the status line and headers announcing `contentLength` bytes, then `sent`
        /// bytes of body, then closes: a connection dropped in the middle of the answer.
        case dropMidBody(status: Int, contentLength: Int, sent: [UInt8])
        /// Closes without answering.
        case close
        /// Says nothing for `seconds`, then closes.
        case silence(seconds: Double)
        /// Streams `chunks` chunks of 64 KiB with chunked encoding (a body without end in sight).
        case endless(status: Int, chunks: Int)

        public static func text(_ status: Int, _ body: String, contentType: String = "text/plain") -> Reply {
            .respond(status: status, headers: [("Content-Type", contentType)], body: Array(body.utf8))
        }
    }

    public let port: Int
    private let listener: Int32
    private let handler: @Sendable (Request) -> Reply
    private let lock = NSLock()
    private var received: [Request] = []
    /// Whether `listener` is still this server's descriptor. Once the accept loop has closed
    /// it, its number may belong to anyone in this process (a database connection, another
    /// test's socket): `stop()` must never touch it again. (It once did, from `deinit` after an
    /// explicit `stop()`, and shut down an unrelated test's PostgreSQL connection.)
    private var listenerOpen = true
    private var stopped = false

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The listening socket's descriptor number (for the test that it is never reused).
    public var listenerDescriptor: Int32 { listener }
    /// Whether the listening socket is still open.
    public var isListening: Bool { lock.withLock { listenerOpen } }

    /// Every request answered so far.
    public var requests: [Request] { lock.withLock { received } }

    public init(handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// The accept loop's thread holds this server until the listener is closed, so by the
    /// time this runs there is nothing left to stop.
    deinit { stop() }

    /// Stops accepting (once; later calls do nothing); connections being answered finish on
    /// their own. Shutting the listener down wakes the accept loop, which closes it.
    public func stop() {
        lock.withLock {
            guard listenerOpen, !stopped else { return }
            stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
        }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                // EINTR and a connection aborted before it was accepted are not the end.
                if errno == EINTR || errno == ECONNABORTED { continue }
                lock.withLock {
                    listenerOpen = false
                    close(listener)
                }
                return
            }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        guard var request = readRequest(fd) else { return }
        lock.withLock { received.append(request) }
        // A CONNECT is answered as a tunnelling proxy would; the request that then comes
        // through the tunnel (plain HTTP) is the handler's, as if the proxy had passed it on.
        if request.method == "CONNECT" {
            send(fd, Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
            guard let tunneled = readRequest(fd) else { return }
            request = tunneled
            lock.withLock { received.append(request) }
        }
        switch handler(request) {
        case let .respond(status, headers, body):
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            send(fd, Array(head.utf8) + body)
        case let .dropMidBody(status, contentLength, sent):
            send(fd, Array("HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Length: \(contentLength)\r\n\r\n".utf8) + sent)
            // A reset rather than an orderly end, as when a process dies.
            var hard = linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, socklen_t(MemoryLayout<linger>.size))
        case .close:
            return
        case .silence(let seconds):
            usleep(UInt32(seconds * 1_000_000))
        case let .endless(status, chunks):
            send(fd, Array("HTTP/1.1 \(status) \(Self.reason(status))\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".utf8))
            let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 0x10000) + Array("\r\n".utf8)
            for _ in 0..<chunks where send(fd, chunk) {}
            send(fd, Array("0\r\n\r\n".utf8))
        }
    }

    /// Reads the request line, headers and a `Content-Length` body (answering an
    /// `Expect: 100-continue` first); nil when the client went away.
    private func readRequest(_ fd: Int32) -> Request? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        while headerEnd == nil {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { return nil }
            data += buffer[0..<n]
            headerEnd = Self.find(separator, in: data)
        }
        guard let end = headerEnd else { return nil }
        let lines = String(decoding: data[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let start = lines[0].split(separator: " ")
        guard start.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if headers["expect"]?.lowercased() == "100-continue" { send(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) }
        var body = Array(data[(end + separator.count)...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { return nil }
            body += buffer[0..<n]
        }
        return Request(method: String(start[0]), path: String(start[1]), headers: headers, body: body)
    }

    @discardableResult
    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 409: return "Conflict"
        case 422: return "Unprocessable Content"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}
