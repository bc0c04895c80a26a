import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP proxy on 127.0.0.1 that only tunnels, as a plant's squid does for HTTPS: it takes
/// `CONNECT host:port`, connects to 127.0.0.1 on that port whatever the host (so a test can
/// use a name no resolver knows, and the client, not the proxy, checks the certificate for
/// it), answers 200, and relays bytes both ways until either side closes. It records each
/// CONNECT's target and `Proxy-Authorization`, and answers 407 when `requiredAuthorization`
/// is set and not matched.
public final class TunnelProxy: @unchecked Sendable {
    public struct Connect: Sendable, Equatable {
        public let target: String
        public let authorization: String?
    }

    public let port: Int
    private let listener: LoopbackListener
    private let requiredAuthorization: String?
    private let lock = NSLock()
    private var seen: [Connect] = []

    /// `requiredAuthorization` is the whole header value expected, e.g. `Basic dXNlcjpwdw==`.
    public init(requiredAuthorization: String? = nil) throws {
        self.requiredAuthorization = requiredAuthorization
        listener = try LoopbackListener()
        port = listener.port
        listener.start { [self] client in tunnel(client) }
    }

    deinit { stop() }

    /// The proxy URL for `https_proxy`, with credentials if given.
    public func url(user: String? = nil, password: String? = nil) -> String {
        let credentials = user.map { "\($0):\(password ?? "")@" } ?? ""
        return "http://\(credentials)127.0.0.1:\(port)"
    }

    /// Every CONNECT received so far.
    public var connects: [Connect] { lock.withLock { seen } }

    /// Stops accepting (once); tunnels already open run until their ends close.
    public func stop() { listener.stop() }

    private func tunnel(_ client: Int32) {
        defer { close(client) }
        guard let (lines, early) = SocketIO.readHead(client) else { return }
        let start = lines[0].split(separator: " ")
        guard start.count >= 2, start[0] == "CONNECT" else {
            SocketIO.sendAll(client, Array("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        let target = String(start[1])
        let authorization = SocketIO.headers(lines)["proxy-authorization"]
        lock.withLock { seen.append(Connect(target: target, authorization: authorization)) }
        if let requiredAuthorization, authorization != requiredAuthorization {
            SocketIO.sendAll(client, Array("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        guard let portText = target.split(separator: ":").last, let targetPort = Int(portText),
              let upstream = try? RawHTTPConnection.connectLoopback(port: targetPort) else {
            SocketIO.sendAll(client, Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        defer { close(upstream) }
        guard SocketIO.sendAll(client, Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8)),
              SocketIO.sendAll(upstream, early) else { return }
        // Both directions at once; both descriptors stay open until both relays are done.
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            Self.relay(from: upstream, to: client)
            done.signal()
        }
        Self.relay(from: client, to: upstream)
        done.wait()
    }

    /// Copies until end of file or an error, then ends the write side of `to`.
    private static func relay(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(from, &buffer, buffer.count, 0)
            if n < 0 && errno == EINTR { continue }
            guard n > 0, SocketIO.sendAll(to, Array(buffer[0..<n])) else { break }
        }
        shutdown(to, Int32(SHUT_WR))
    }
}
