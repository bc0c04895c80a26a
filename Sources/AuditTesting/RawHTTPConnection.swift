import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One blocking HTTP/1.1 connection to 127.0.0.1 over a plain socket, byte-exact: a fault
/// test cuts a request at any byte and closes, a benchmark sends pre-encoded bodies without a
/// client library's cost in the figure. Keep-alive: several requests may follow each other.
public final class RawHTTPConnection: @unchecked Sendable {
    public struct Response: Sendable {
        public let status: Int
        /// Header names lowercased.
        public let headers: [String: String]
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public enum Failure: Error, CustomStringConvertible {
        case connect(Int32)
        case io(String)
        case malformed(String)

        public var description: String {
            switch self {
            case .connect(let e): return "connect: \(String(cString: strerror(e)))"
            case .io(let m): return "socket: \(m)"
            case .malformed(let m): return "malformed answer: \(m)"
            }
        }
    }

    public let port: Int
    private var fd: Int32
    private var pending: [UInt8] = []

    /// Connects, with `timeout` seconds for every later read or write.
    public init(port: Int, timeout: Double = 60) throws {
        self.port = port
        fd = try Self.connectLoopback(port: port)
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// A TCP connection to 127.0.0.1:`port` (no delay, close-on-exec); the caller closes it.
    public static func connectLoopback(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.connect(errno) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let e = errno
            Glibc.close(fd)
            throw Failure.connect(e)
        }
        return fd
    }

    deinit { close() }

    /// The request line and headers of a POST whose body has `contentLength` bytes.
    public static func postHead(path: String, contentLength: Int, contentType: String = "application/json") -> [UInt8] {
        Array(("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(contentLength)\r\nAccept: */*\r\n\r\n").utf8)
    }

    /// Sends a whole POST and reads its answer.
    public func post(path: String, body: [UInt8], contentType: String = "application/json") throws -> Response {
        try write(Self.postHead(path: path, contentLength: body.count, contentType: contentType) + body)
        return try readResponse()
    }

    /// A GET (with extra header lines, e.g. `Authorization`) and its answer.
    public func get(path: String, headers: [(String, String)] = []) throws -> Response {
        let extra = headers.map { "\($0.0): \($0.1)\r\n" }.joined()
        try write(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\(extra)\r\n".utf8))
        return try readResponse()
    }

    /// Writes all of `bytes` (or throws).
    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else {
                if n < 0 && errno == EINTR { continue }
                throw Failure.io("send: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// Closes the connection; what was written so far is all the peer ever gets.
    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    /// Reads one answer: status line, headers, and a body of `Content-Length` bytes (or up
    /// to the close when the answer has none).
    public func readResponse() throws -> Response {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find([13, 10, 13, 10], in: pending)
            if headEnd == nil { guard try fill() else { throw Failure.io("closed before the answer's headers") } }
        }
        let head = String(decoding: pending[..<headEnd!], as: UTF8.self)
        pending.removeFirst(headEnd! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusParts = lines.removeFirst().split(separator: " ")
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw Failure.malformed("status line of \(head.prefix(80))")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if let lengthText = headers["content-length"] {
            guard let length = Int(lengthText) else { throw Failure.malformed("Content-Length \(lengthText)") }
            while pending.count < length { guard try fill() else { throw Failure.io("closed in the answer's body") } }
            let body = Array(pending[..<length])
            pending.removeFirst(length)
            return Response(status: status, headers: headers, body: body)
        }
        guard headers["transfer-encoding"]?.lowercased() != "chunked" else { throw Failure.malformed("chunked answers are not read") }
        while try fill() {}
        defer { pending = [] }
        return Response(status: status, headers: headers, body: pending)
    }

    /// Reads what is available into `pending`; false at the peer's close.
    private func fill() throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                pending += buffer[..<n]
                return true
            }
            if n == 0 { return false }
            if errno == EINTR { continue }
            throw Failure.io("recv: \(String(cString: strerror(errno)))")
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] && Array(haystack[i..<i + needle.count]) == needle {
            return i
        }
        return nil
    }
}
