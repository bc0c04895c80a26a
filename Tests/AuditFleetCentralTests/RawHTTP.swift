import Foundation
import AuditTesting
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a plain socket, so a test controls every byte: it can
/// declare a body longer than it sends and hang up mid-push, as a cut WAN link would.
/// Blocking calls run on their own thread, off Swift's cooperative pool the server uses.
struct RawHTTP {
    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    let port: Int

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Answer {
        try await request("GET", path, headers: headers, body: [])
    }

    func post(_ path: String, body: [UInt8], contentType: String = "application/json") async throws -> Answer {
        try await request("POST", path, headers: ["Content-Type": contentType], body: body)
    }

    func request(_ method: String, _ path: String, headers: [String: String], body: [UInt8]) async throws -> Answer {
        let port = port
        return try await onOwnThread {
            let fd = try RawHTTPConnection.connectLoopback(port: port)
            defer { close(fd) }
            var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
            for (k, v) in headers { head += "\(k): \(v)\r\n" }
            try Self.write(fd, Array((head + "\r\n").utf8) + body)
            return try Self.parse(Self.readAll(fd))
        }
    }

    /// Sends the headers of a push of `declared` bytes, then only `sent`, then closes.
    func postCut(_ path: String, body: [UInt8], sending sent: Int) async throws {
        let port = port
        try await onOwnThread {
            let fd = try RawHTTPConnection.connectLoopback(port: port)
            defer { close(fd) }
            let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
            try Self.write(fd, Array(head.utf8) + Array(body.prefix(sent)))
            shutdown(fd, Int32(SHUT_RDWR))
        }
    }

    static func write(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw HTTPFailure(reason: "send: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    static func readAll(_ fd: Int32) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { throw HTTPFailure(reason: "recv: \(String(cString: strerror(errno)))") }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    static func parse(_ raw: [UInt8]) throws -> Answer {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, raw.count - 3)).first(where: { Array(raw[$0..<$0 + 4]) == separator }) else {
            throw HTTPFailure(reason: "no HTTP header in \(raw.count) bytes")
        }
        let lines = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw HTTPFailure(reason: "bad status line \(lines[0])") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(raw[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return Answer(status: status, headers: headers, body: body)
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            guard let lineEnd = (i..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                  let size = Int(String(decoding: bytes[i..<lineEnd], as: UTF8.self), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            out += bytes[start..<min(bytes.count, start + size)]
            i = start + size + 2
        }
        return out
    }

    struct HTTPFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }
}

