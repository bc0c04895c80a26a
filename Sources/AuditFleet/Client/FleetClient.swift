import AuditCore
import AuditCrypto
import Foundation

/// Sends a plant's pushes to the central fleet service over HTTP or HTTPS
/// (`POST <central>/fleet/v1/push`, JSON; Docs/fleet.md) with AsyncHTTPClient, and reads its
/// answer with a bound on the body (`BoundedHTTPExchange`). Certificates are checked against
/// the system's trust store and, if given, a CA file's certificates (`FleetTrust`); redirects
/// are not followed.
public struct FleetClient: FleetPushTransport {
    public static let pushPath = "/fleet/v1/push"

    /// The push endpoint.
    public let endpoint: URL
    /// Seconds the central may stay silent (connecting, or between bytes of its answer).
    public let timeout: Double
    /// Largest answer body read (`Limits.maxFleetResponseBytes`).
    public let maxResponseBytes: Int
    /// The HTTP proxy from `https_proxy`/`http_proxy`/`no_proxy`, or nil (`FleetProxy`).
    public let proxy: FleetProxy?
    /// Certificate authorities trusted beside the system's, or nil.
    public let trust: FleetTrust?

    /// `central` is the service's base URL, e.g. `https://fleet.example.com` (a path prefix
    /// is kept: `https://example.com/qa` pushes to `https://example.com/qa/fleet/v1/push`).
    public init(central: String, timeout: Double = 60, maxResponseBytes: Int = Limits.maxFleetResponseBytes, trust: FleetTrust? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(FleetClientError) {
        guard let base = URLComponents(string: central), let scheme = base.scheme?.lowercased() else {
            throw .badURL("'\(central)' is not a URL")
        }
        guard scheme == "http" || scheme == "https" else { throw .badURL("scheme '\(scheme)' is not http or https") }
        guard let host = base.host, !host.isEmpty else { throw .badURL("'\(central)' names no host") }
        guard base.query == nil, base.fragment == nil else { throw .badURL("give the service's base URL, without ?query or #fragment") }
        var components = base
        components.path = (base.path.hasSuffix("/") ? String(base.path.dropLast()) : base.path) + Self.pushPath
        guard let url = components.url else { throw .badURL("'\(central)' cannot be extended with \(Self.pushPath)") }
        guard timeout > 0 else { throw .badURL("the timeout must be positive") }
        self.endpoint = url
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.proxy = try FleetProxy.forTarget(url, environment: environment)
        self.trust = trust
    }

    /// The endpoint for messages and logs: user and password, if the URL had any, left out.
    public var displayURL: String {
        guard var c = URLComponents(url: endpoint, resolvingAgainstBaseURL: false) else { return "the central" }
        c.user = nil
        c.password = nil
        return c.string ?? "the central"
    }

    public func send(_ push: FleetPush) async throws(FleetClientError) -> FleetPushOutcome {
        let pushedSize = try Self.checkpointSize(of: push)
        let body: Data
        do { body = try JSONEncoder().encode(push) } catch {
            throw .invalidPush("cannot encode it: \(error)")
        }
        guard body.count <= FleetPush.maxBodyBytes else { throw .pushTooLarge(bytes: body.count, limit: FleetPush.maxBodyBytes) }
        // A push of thousands of entries over a slow WAN may take a while as a whole; only
        // silence counts as a timeout, up to a generous ceiling for the entire exchange.
        let result = await BoundedHTTPExchange.send(.POST, endpoint, headers: [
            ("Content-Type", "application/json"), ("Accept", "text/x.tlog.size, text/plain, application/json"),
        ], body: [UInt8](body), timeout: timeout, total: max(timeout * 10, 600), limit: maxResponseBytes, proxy: proxy, trust: trust)
        let answer = try Self.answer(result, timeout: timeout, limit: maxResponseBytes)
        return try FleetPushAnswer.outcome(status: answer.status, contentType: answer.contentType, body: answer.body,
                                           pushedSize: pushedSize)
    }

    static func answer(_ result: Result<BoundedHTTPExchange.Answer, BoundedHTTPExchange.Failure>, timeout: Double,
                       limit: Int) throws(FleetClientError) -> BoundedHTTPExchange.Answer {
        switch result {
        case .success(let answer): return answer
        case .failure(.tooLarge): throw .responseTooLarge(limit: limit)
        case .failure(.timeout): throw .timeout(seconds: timeout)
        case .failure(.transport(let message)): throw .transport(message)
        }
    }

    /// The size of the checkpoint a push carries: what a 200 cosigned.
    static func checkpointSize(of push: FleetPush) throws(FleetClientError) -> Int {
        do {
            return try CheckpointBody.parse(try Cosignature.split(note: push.checkpoint).text).size
        } catch {
            throw .invalidPush("its checkpoint is not a signed checkpoint note: \(error)")
        }
    }
}
