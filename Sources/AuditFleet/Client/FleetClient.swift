import AuditCore
import AuditCrypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends a plant's pushes to the central fleet service over HTTP or HTTPS
/// (`POST <central>/fleet/v1/push`, JSON; Docs/fleet.md) with Foundation's URLSession, and
/// reads its answer with a bound on the body. Certificates are checked by the system's
/// trust store; redirects are not followed.
public struct FleetClient: FleetPushTransport {
    public static let pushPath = "/fleet/v1/push"

    /// The push endpoint.
    public let endpoint: URL
    /// Seconds the central may stay silent (connecting, or between bytes of its answer).
    public let timeout: Double
    /// Largest answer body read (`Limits.maxFleetResponseBytes`).
    public let maxResponseBytes: Int

    /// `central` is the service's base URL, e.g. `https://fleet.example.com` (a path prefix
    /// is kept: `https://example.com/qa` pushes to `https://example.com/qa/fleet/v1/push`).
    public init(central: String, timeout: Double = 60,
                maxResponseBytes: Int = Limits.maxFleetResponseBytes) throws(FleetClientError) {
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
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("text/x.tlog.size, text/plain, application/json", forHTTPHeaderField: "Accept")

        let answer = try await exchange(request)
        return try FleetPushAnswer.outcome(status: answer.status, contentType: answer.contentType, body: answer.body,
                                           pushedSize: pushedSize)
    }

    /// One request on a session of its own, so every push gets this client's timeout and bound.
    private func exchange(_ request: URLRequest) async throws(FleetClientError) -> BoundedResponseCollector.Answer {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        // A push of thousands of entries over a slow WAN may take a while as a whole; only
        // silence counts as a timeout, up to a generous ceiling for the entire exchange.
        configuration.timeoutIntervalForResource = max(timeout * 10, 600)
        let (result, overflowed) = await BoundedResponseCollector.exchange(request, configuration: configuration, limit: maxResponseBytes)
        // Checked first: a task stopped for its size may end as an error or as a cut-off body.
        if overflowed { throw .responseTooLarge(limit: maxResponseBytes) }
        switch result {
        case .success(let answer):
            return answer
        case .failure(let error):
            throw Self.mapped(error, timeout: timeout)
        }
    }

    static func mapped(_ error: any Error, timeout: Double) -> FleetClientError {
        guard let e = error as? URLError else { return .transport("\(error)") }
        switch e.code {
        case .timedOut: return .timeout(seconds: timeout)
        case .cancelled: return .transport("the request was cancelled")
        default: return .transport(e.localizedDescription.isEmpty ? "URL error \(e.code.rawValue)" : "\(e.localizedDescription) (URL error \(e.code.rawValue))")
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
