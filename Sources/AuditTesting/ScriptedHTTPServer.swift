import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 responder on 127.0.0.1 for client tests, driven by plain sockets so a test
/// can answer anything: a well-formed reply, garbage, an endless body, a connection dropped
/// mid-answer, or silence. One thread per connection, `Connection: close` on every reply.
/// Put `TunnelProxy` in front of it to test a client behind an HTTP proxy.
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
    private let listener: LoopbackListener
    private let handler: @Sendable (Request) -> Reply
    private let lock = NSLock()
    private var received: [Request] = []

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The listening socket's descriptor number (for the test that it is never reused).
    public var listenerDescriptor: Int32 { listener.descriptor }
    /// Whether the listening socket is still open.
    public var isListening: Bool { listener.isListening }

    /// Every request answered so far.
    public var requests: [Request] { lock.withLock { received } }

    public init(handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        listener = try LoopbackListener(backlog: 16)
        port = listener.port
        listener.start { [self] connection in serve(connection) }
    }

    /// The accept loop holds this server until the listener is closed, so by the time this
    /// runs there is nothing left to stop.
    deinit { stop() }

    /// Stops accepting (once; later calls do nothing); connections being answered finish on
    /// their own.
    public func stop() { listener.stop() }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        guard let request = readRequest(fd) else { return }
        lock.withLock { received.append(request) }
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
        guard let (lines, rest) = SocketIO.readHead(fd) else { return nil }
        let start = lines[0].split(separator: " ")
        guard start.count >= 2 else { return nil }
        let headers = SocketIO.headers(lines)
        if headers["expect"]?.lowercased() == "100-continue" { send(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) }
        var body = rest
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { return nil }
            body += buffer[0..<n]
        }
        return Request(method: String(start[0]), path: String(start[1]), headers: headers, body: body)
    }

    @discardableResult
    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool { SocketIO.sendAll(fd, bytes) }

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
