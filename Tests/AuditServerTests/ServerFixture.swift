import AuditCore
import AuditCrypto
import AuditLedger
import AuditPolicy
import AuditRecords
import AuditServer
import AuditTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle

/// Real time plus an offset tests can move forward (session idle and lifetime).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    var date: Date { lock.withLock { Date() + offset } }
    func advance(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
    var function: @Sendable () -> Date { { [self] in self.date } }
}

/// A real data directory built through public APIs only: founding admins ada and bob, the
/// shipped approval policy recorded (ada) and confirmed (bob), and people who replaced their
/// one-time passwords and were confirmed by bob: alice (author), quinn (qa-reviewer), pat
/// (process-owner), otto (ot-security), ivy (auditor). nora (qa-reviewer) was never
/// confirmed, so she holds no role in force. `chg-open` is a promote change by alice.
struct ServerFixture {
    static let policyPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Policies/approval.yaml").standardized.path
    static let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Schemas/openapi.yaml").standardized.path
    static let logKeyPassword = "log-key-password-1"
    static let people: [(String, String, [String])] = [
        ("alice", "Alice Author", ["author"]), ("quinn", "Quinn Reviewer", ["qa-reviewer"]),
        ("pat", "Pat Owner", ["process-owner"]), ("otto", "Otto Security", ["ot-security"]), ("ivy", "Ivy Inspector", ["auditor"]),
    ]

    let directory: TemporaryDirectory
    let service: RecordsService
    let policy: ApprovalPolicy
    let clock = TestClock()
    var dataDirectory: String { directory.path + "/data" }

    static func password(_ id: String) -> String { "\(id)-password-1" }
    static func creds(_ id: String) -> Credentials { Credentials(userID: id, password: password(id)) }

    static func make(changes: Int = 1) async throws -> ServerFixture {
        let directory = TemporaryDirectory("auditctl-server")
        let home = LedgerHome(directory: directory.path + "/data")
        let store = try await Genesis.create(
            home: home, origin: "plant.example/line-3", protection: .sealed(password: logKeyPassword, parameters: .testing),
            founders: [.init(id: "ada", printedName: "Ada Admin", password: password("ada")),
                       .init(id: "bob", printedName: "Bob Admin", password: password("bob"))],
            configuration: .testing)
        let service = RecordsService(store: store, directory: home.directory, configuration: .testing)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: policyPath)))
        let policy = try ApprovalPolicy.load(bytes: bytes, file: "Policies/approval.yaml")
        try await service.recordPolicy(policy, bytes: bytes, reason: "initial policy", by: creds("ada"))
        try await service.confirmPolicy(reason: "reviewed the policy", by: creds("bob"))
        let f = ServerFixture(directory: directory, service: service, policy: policy)
        for (id, name, roles) in people { try await f.enroll(id, name: name, roles: roles) }
        try await f.enroll("nora", name: "Nora Pending", roles: ["qa-reviewer"], confirm: false)
        for i in 0..<changes {
            try await f.propose(id: i == 0 ? "chg-open" : "chg-\(i)", version: "2.\(i)")
        }
        return f
    }

    func enroll(_ id: String, name: String, roles: [String], confirm: Bool = true) async throws {
        try await service.addUser(NewUser(id: id, printedName: name, roles: roles, initialPassword: "one-time-\(id)-pass"),
                                  reason: "new hire", knownRoles: Set(policy.roles), by: Self.creds("ada"))
        let key = try await service.rotateKey(Credentials(userID: id, password: "one-time-\(id)-pass"), newPassword: Self.password(id), reason: "first login")
        if confirm {
            try await service.confirmIdentity(of: id, keyID: String(key.keyID.hex.prefix(12)), evidence: "badge checked", by: Self.creds("bob"))
        }
    }

    @discardableResult
    func propose(id: String, version: String, model: String = "vision-qc", type: ChangeType = .promote) async throws -> ChangeVersion {
        try await service.propose(ChangeProposal(changeID: id, changeType: type, model: model, modelVersion: version,
                                                 reason: "retrained on line-3 data", artifactDigest: SHA256.hash(Array(version.utf8)),
                                                 targetZone: "cell-3"), by: Self.creds("alice"))
    }

    func options() -> ServerOptions {
        var o = ServerOptions(dataDirectory: dataDirectory, logKey: .password(Self.logKeyPassword))
        o.port = 0
        o.records = .testing
        o.clock = clock.function
        return o
    }

    /// Runs `body` against the server over a real socket on 127.0.0.1 (port chosen by the
    /// system), then stops it.
    func live(_ options: ServerOptions? = nil, _ body: @escaping @Sendable (LiveClient, AuditServerApp) async throws -> Void) async throws {
        try await Self.serve(options ?? self.options(), body)
    }

    static func serve(_ options: ServerOptions, logger given: Logger? = nil,
                      _ body: @escaping @Sendable (LiveClient, AuditServerApp) async throws -> Void) async throws {
        let server = try AuditServerApp(options: options)
        defer { server.shutdown() }
        var logger = given ?? Logger(label: "auditctl.test")
        if given == nil { logger.logLevel = .warning }
        let port = PortBox()
        let app = try server.application(logger: logger) { p in port.set(p) }
        // Stopped by a graceful shutdown, as on SIGTERM (cancelling the task instead tears
        // down connections a browser still holds open).
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            let bound = try await port.wait()
            var failure: (any Error)?
            do { try await body(LiveClient(port: bound), server) } catch { failure = error }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            if let failure { throw failure }
        }
    }

    /// `auditctl` against this data directory (log key unlocked, cheap Argon2).
    func cli(_ args: [String]) throws -> CommandResult {
        let pw = directory.file("log-key.password")
        if !FileManager.default.fileExists(atPath: pw) {
            FileManager.default.createFile(atPath: pw, contents: Data(Self.logKeyPassword.utf8))
        }
        return try CommandRunner.auditctl(args, dataDir: dataDirectory,
                                          environment: ["AUDITCTL_LOG_KEY_PASSWORD_FILE": pw, "AUDITCTL_ARGON2": "testing",
                                                        "AUDITCTL_APPROVAL_POLICY": Self.policyPath])
    }

    func entries(kind: String) throws -> [Entry] { try service.store.entries(EntryFilter(kind: kind)) }
}

/// One HTTP response, body decoded.
struct Reply: Sendable {
    let status: Int
    let headers: HTTPFields
    let text: String
    var json: JSONValue { (try? JSONValue.parse(Array(text.utf8))) ?? .null }
    subscript(_ key: String) -> JSONValue? { json[key] }
    func header(_ name: String) -> String? { headers[.init(name)!] }
    /// Every Set-Cookie value.
    var cookies: [String] { headers[values: .setCookie] }
}

/// A signed-in client: bearer token for the API or cookie + CSRF token like a browser.
struct Login: Sendable {
    let token: String
    let csrf: String
}

/// The bound port, once the server runs.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int?
    func set(_ p: Int) { lock.withLock { value = p } }
    func wait() async throws -> Int {
        for _ in 0..<1200 {
            if let v = lock.withLock({ value }) { return v }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw CancellationError()
    }
}

/// An HTTP client on 127.0.0.1: each request on its own connection, so concurrent calls
/// are really concurrent (HTTP/1.1 answers one request per connection at a time).
struct LiveClient: Sendable {
    let port: Int

    enum Auth: Sendable { case none, bearer(Login), cookie(Login, csrf: String?) }

    func call(_ method: HTTPRequest.Method, _ uri: String, auth: Auth = .none, json: JSONValue? = nil, form: [String: String]? = nil,
              headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        switch auth {
        case .none: break
        case .bearer(let l): headers[.authorization] = "Bearer \(l.token)"
        case .cookie(let l, let csrf):
            headers[.cookie] = "auditctl_session=\(l.token)"
            if let csrf, form == nil { headers[.init("X-CSRF-Token")!] = csrf }
        }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: json.canonicalBytes())
        }
        if var form {
            if case .cookie(_, let csrf?) = auth { form["csrf"] = csrf }
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
        }
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120)))
        client.connect()
        do {
            let r = try await client.execute(TestClient.Request(uri, method: method, authority: "127.0.0.1:\(port)", headers: headers, body: body))
            try? await client.shutdown()
            return Reply(status: Int(r.status.code), headers: r.headers, text: r.body.map { String(buffer: $0) } ?? "")
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func login(_ id: String, password: String? = nil) async throws -> Login {
        let r = try await call(.post, "/api/v1/sessions", json: ["userId": .string(id), "password": .string(password ?? ServerFixture.password(id))])
        guard r.status == 201, let token = r["token"]?.stringValue, let csrf = r["csrfToken"]?.stringValue else {
            throw LoginFailed(reply: r)
        }
        return Login(token: token, csrf: csrf)
    }

    struct LoginFailed: Error, CustomStringConvertible {
        let reply: Reply
        var description: String { "login failed: \(reply.status) \(reply.text)" }
    }
}

