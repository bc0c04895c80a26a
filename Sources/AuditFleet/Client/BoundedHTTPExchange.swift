import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// One HTTP request to the central and its answer, with a bound on the body: a
/// `Content-Length` over the bound stops before any byte is read, and a body that grows past
/// it is cut off there, so a broken or hostile central cannot make a plant buffer without
/// limit. Redirects are not followed: a push goes to the configured central or nowhere.
/// Shared by the push and the query clients.
///
/// AsyncHTTPClient (SwiftNIO), not Foundation's URLSession: on Linux, URLSession hands
/// libcurl's sockets to libdispatch sources, and a socket closed before its source is
/// cancelled crashes libdispatch's event loop (`_dispatch_event_loop_drain`;
/// swift-corelibs-foundation issue 4791 and its successors). It did so in a CI run of the
/// tests, and `auditctl serve --fleet-push-to` pushes for as long as the server runs.
enum BoundedHTTPExchange {
    struct Answer: Sendable {
        let status: Int
        let contentType: String?
        let body: [UInt8]
    }

    enum Failure: Error {
        /// The answer is larger than the bound; reading stopped.
        case tooLarge
        /// No answer within the timeout (connecting, between bytes, or the whole exchange).
        case timeout
        /// Anything else between us and the central.
        case transport(String)
    }

    /// Sends `method url` with `headers` and `body`, through `proxy` if given, trusting the
    /// system's CAs and `trust`'s. `timeout` bounds connecting and each silence; `total` bounds
    /// the whole exchange. Cancelling the calling task cancels it.
    static func send(_ method: HTTPMethod, _ url: URL, headers: [(String, String)], body: [UInt8]? = nil,
                     timeout: Double, total: Double, limit: Int, proxy: FleetProxy?, trust: FleetTrust?) async -> Result<Answer, Failure> {
        var configuration = HTTPClient.Configuration()
        configuration.proxy = proxy?.configuration
        if let trust { configuration.tlsConfiguration = trust.tlsConfiguration }
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.timeout = .init(connect: .milliseconds(Int64(timeout * 1000)), read: .milliseconds(Int64(timeout * 1000)))
        configuration.httpVersion = .http1Only
        // A central that refuses the connection is down: say so now, as a failed push must
        // (the plant retries on its own schedule), instead of retrying until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let result = await exchange(client, method, url, headers: headers, body: body, total: total, limit: limit)
        try? await client.shutdown()
        return result
    }

    private static func exchange(_ client: HTTPClient, _ method: HTTPMethod, _ url: URL, headers: [(String, String)],
                                 body: [UInt8]?, total: Double, limit: Int) async -> Result<Answer, Failure> {
        var request = HTTPClientRequest(url: withoutCredentials(url))
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let user = url.user(percentEncoded: false) {
            request.setBasicAuth(username: user, password: url.password(percentEncoded: false) ?? "")
        }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(request, deadline: .now() + .milliseconds(Int64(total * 1000)))
            if let announced = response.headers.first(name: "Content-Length").flatMap(Int.init), announced > limit {
                return .failure(.tooLarge)
            }
            var collected: [UInt8] = []
            for try await chunk in response.body {
                guard collected.count + chunk.readableBytes <= limit else { return .failure(.tooLarge) }
                collected.append(contentsOf: chunk.readableBytesView)
            }
            return .success(Answer(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"),
                                   body: collected))
        } catch {
            return .failure(classify(error, host: url.host ?? "the central"))
        }
    }

    static func classify(_ error: any Error, host: String) -> Failure {
        if let e = error as? HTTPClientError, [.readTimeout, .connectTimeout, .deadlineExceeded, .writeTimeout].contains(e) {
            return .timeout
        }
        if error is CancellationError || (error as? HTTPClientError) == .cancelled {
            return .transport("the request was cancelled")
        }
        // A central that stops (or is killed) mid-exchange: the push may or may not have been
        // stored, which the next push finds out (a 409 names the central's size).
        if (error as? HTTPClientError) == .remoteConnectionClosed {
            return .transport("the connection closed before the answer")
        }
        if (error as? HTTPClientError) == .proxyAuthenticationRequired {
            return .transport("the proxy refused this plant's credentials (407 Proxy Authentication Required): check the user and password in https_proxy")
        }
        if (error as? HTTPClientError) == .invalidProxyResponse {
            return .transport("the proxy did not open a tunnel to the central (CONNECT refused): it must allow CONNECT to the central's port")
        }
        if let e = error as? IOError, e.errnoCode == ECONNRESET {
            return .transport("the connection was reset before the answer")
        }
        if let e = error as? IOError, e.errnoCode == ECONNREFUSED {
            return .transport("connection refused (is the central running, and is the port right?)")
        }
        // NIOSSL checks the certificate's DNS names against the URL's host name, and its IP
        // addresses against the address connected to.
        if (error as? NIOSSLExtraError) == .failedToValidateHostname {
            return .transport("the central's TLS certificate is not issued for \(host): give the URL with a name (or address) the certificate carries")
        }
        let detail = String(describing: error)
        if detail.contains("CERTIFICATE_VERIFY_FAILED") {
            return .transport("the central's TLS certificate does not verify against this host's trust store or the CA file given (\(detail))")
        }
        return .transport(detail)
    }

    /// The URL without `user:password@`, which goes in an Authorization header instead.
    static func withoutCredentials(_ url: URL) -> String {
        guard var c = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.absoluteString }
        c.user = nil
        c.password = nil
        return c.string ?? url.absoluteString
    }
}
