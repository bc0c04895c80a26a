import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging

/// One structured log line and the metrics per request, with the request id the client
/// also gets in `X-Request-ID`. Logged: method, path without query, route template,
/// status, duration, user ID. Never a password, token, cookie, key or hash of one
/// (no header or body is logged).
public struct ObservabilityMiddleware: RouterMiddleware {
    public typealias Context = ServerContext
    let metrics: ServerMetrics

    public init(metrics: ServerMetrics) { self.metrics = metrics }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.request(route: route, method: request.method.rawValue, status: response.status.code, duration: elapsed)
        response.headers[.xRequestID] = context.id
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "route": "\(route)",
            "status": "\(response.status.code)", "ms": "\(String(format: "%.1f", ms))",
            "user": "\(response.headers[.auditUser] ?? "-")", "client": "\(context.remoteAddress)",
        ])
        response.headers[.auditUser] = nil
        return response
    }
}

extension HTTPField.Name {
    /// Internal: carries the acting user ID from inner layers to the log line; removed before sending.
    static let auditUser = HTTPField.Name("X-Auditctl-Internal-User")!
}
