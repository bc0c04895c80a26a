import AuditCore
import Foundation

/// Reads the central's fleet queries (`GET /fleet/v1/plants|deployments|changes|entries`,
/// Docs/fleet.md) with a reader's bearer token, for `auditctl fleet query`. Answers are
/// bounded like push answers, only larger: a page of entries is up to 1,000 entries.
public struct FleetQueryClient: Sendable {
    public static let maxAnswerBytes = 32 * 1024 * 1024

    public let base: URLComponents
    let token: String
    let timeout: Double
    let environment: [String: String]
    let trust: FleetTrust?

    public init(central: String, token: String, timeout: Double = 60, trust: FleetTrust? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(FleetClientError) {
        guard let base = URLComponents(string: central), let scheme = base.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = base.host, !host.isEmpty, base.query == nil else {
            throw .badURL("'\(central)' is not an http(s) base URL without a query")
        }
        guard !token.isEmpty, !token.contains(where: { $0.isNewline }) else { throw .badURL("the reader token is empty or has a line break") }
        self.base = base
        self.token = token
        self.timeout = timeout
        self.environment = environment
        self.trust = trust
    }

    /// GETs `/fleet/v1/<resource>` with `parameters` and returns the parsed JSON answer.
    /// A refusal comes back as `.unexpectedStatus` with the central's message.
    public func get(_ resource: String, _ parameters: [(String, String)]) async throws(FleetClientError) -> JSONValue {
        var components = base
        components.path = (base.path.hasSuffix("/") ? String(base.path.dropLast()) : base.path) + "/fleet/v1/" + resource
        components.queryItems = parameters.isEmpty ? nil : parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        guard let url = components.url else { throw .badURL("cannot form the query URL for \(resource)") }
        let proxy = try FleetProxy.forTarget(url, environment: environment)
        let result = await BoundedHTTPExchange.send(.GET, url, headers: [("Authorization", "Bearer \(token)"), ("Accept", "application/json")],
                                                    timeout: timeout, total: max(timeout * 10, 600), limit: Self.maxAnswerBytes, proxy: proxy, trust: trust)
        let answer = try FleetClient.answer(result, timeout: timeout, limit: Self.maxAnswerBytes)
        let json = try? JSONValue.parse(answer.body, source: "the central's answer")
        guard answer.status == 200 else {
            let message = json?["error"]?["message"]?.stringValue ?? String(decoding: answer.body.prefix(300), as: UTF8.self)
            throw .unexpectedStatus(answer.status, message: message)
        }
        guard let json else { throw .malformedResponse(status: 200, reason: "not JSON") }
        return json
    }
}
