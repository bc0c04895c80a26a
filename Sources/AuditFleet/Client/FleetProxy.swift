import AsyncHTTPClient
import Foundation

/// The HTTP proxy a plant reaches the central through, from the environment as curl reads it:
/// `https_proxy` for an https central, `http_proxy` for an http one (lowercase only for
/// `http_proxy`, as curl, so a CGI-style `HTTP_PROXY` header cannot set it), and `no_proxy`
/// (`host`, `.domain` or `domain` suffixes, comma-separated, `*` for all). The loopback is
/// never proxied. Credentials in the proxy URL go out as Proxy-Authorization (basic).
public struct FleetProxy: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int
    let username: String?
    let password: String?

    /// The proxy for `target`, or nil to connect directly. A proxy variable that is not an
    /// `http://host[:port]` URL is an error, not silently ignored.
    public static func forTarget(_ target: URL, environment: [String: String]) throws(FleetClientError) -> FleetProxy? {
        guard let scheme = target.scheme?.lowercased(), let host = target.host?.lowercased() else { return nil }
        let variable = scheme == "https" ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy"]
        guard let name = variable.first(where: { !(environment[$0] ?? "").isEmpty }), let value = environment[name] else { return nil }
        if isLoopback(host) || excluded(host, by: environment["no_proxy"] ?? environment["NO_PROXY"] ?? "") { return nil }
        let withScheme = value.contains("://") ? value : "http://" + value
        guard let proxy = URLComponents(string: withScheme), proxy.scheme?.lowercased() == "http",
              let proxyHost = proxy.host, !proxyHost.isEmpty else {
            throw .badURL("$\(name) is not an http://host:port proxy URL")
        }
        return FleetProxy(host: proxyHost, port: proxy.port ?? 80, username: proxy.user, password: proxy.password)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    static func excluded(_ host: String, by noProxy: String) -> Bool {
        for entry in noProxy.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !entry.isEmpty {
            if entry == "*" { return true }
            let domain = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            if host == domain || host.hasSuffix("." + domain) { return true }
        }
        return false
    }

    /// `host:port`, never the credentials.
    public var description: String { "\(host):\(port)" }

    var configuration: HTTPClient.Configuration.Proxy {
        if let username {
            return .server(host: host, port: port, authorization: .basic(username: username, password: password ?? ""))
        }
        return .server(host: host, port: port)
    }
}
