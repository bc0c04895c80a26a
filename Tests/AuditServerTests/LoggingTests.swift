import AuditCore
import AuditCrypto
import Foundation
import Logging
import Testing

/// One structured line per request with a request id; never a password, token, cookie or a
/// hash of one, whatever the request carried.
@Suite struct LoggingTests {
    final class Capture: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ line: String) { lock.withLock { stored.append(line) } }
        var lines: [String] { lock.withLock { stored } }
    }

    struct Handler: LogHandler {
        let capture: Capture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let text = "\(event.level) \(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.append(text)
        }
    }

    @Test func logsCarryRequestIDsAndNoSecrets() async throws {
        let f = try await ServerFixture.make()
        let capture = Capture()
        let logger = Logger(label: "auditctl.test") { _ in Handler(capture: capture) }
        let secrets = Box()
        try await ServerFixture.serve(f.options(), logger: logger) { client, _ in
            _ = try await client.call(.post, "/api/v1/sessions", json: ["userId": "quinn", "password": "a-wrong-password-123"])
            let quinn = try await client.login("quinn")
            secrets.add(quinn.token, quinn.csrf, ServerFixture.password("quinn"), "a-wrong-password-123")
            let r = try await client.call(.post, "/api/v1/changes/chg-open/signatures", auth: .cookie(quinn, csrf: quinn.csrf),
                                          json: ["meaning": "reviewed", "password": .string(ServerFixture.password("quinn"))])
            #expect(r.status == 201)
            let id = try #require(r.header("X-Request-ID"))
            #expect(capture.lines.contains { $0.contains("request") && $0.contains(id) && $0.contains("user=quinn") })
        }
        let lines = capture.lines
        #expect(lines.count >= 4)
        for secret in secrets.values {
            let hashed = SHA256.hash(Array(secret.utf8))
            for line in lines {
                #expect(!line.contains(secret), "a secret in the log: \(line)")
                #expect(!line.contains(hashed.hex) && !line.contains(Base64.encode(hashed.bytes)), "a hash of a secret in the log: \(line)")
            }
        }
    }

    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func add(_ s: String...) { lock.withLock { stored += s } }
        var values: [String] { lock.withLock { stored } }
    }
}
