import HTTPTypes
import Hummingbird
import HummingbirdCore

/// Security headers on every response, errors included: a CSP that allows no inline script
/// (the pages use none) and only same-origin styles and forms, frame denial, no MIME
/// sniffing, no referrer, no caching of pages that show records; HSTS under TLS.
public struct SecurityHeadersMiddleware: RouterMiddleware {
    public typealias Context = ServerContext
    let tls: Bool

    public init(tls: Bool) { self.tls = tls }

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if tls { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xRequestID = HTTPField.Name("X-Request-ID")!
    static let xCSRFToken = HTTPField.Name("X-CSRF-Token")!
}
