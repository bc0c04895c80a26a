import AuditFleet

/// How `auditctl fleet serve` listens. Plants push over the WAN, so anything but the
/// loopback needs TLS (or a TLS-terminating proxy on the same host).
public struct FleetServerOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8090
    /// PEM certificate chain and private key; both or neither.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// SHA-256 of a bearer token a Prometheus scraper presents at /metrics; /metrics is open
    /// when nil (it names plant origins and counts, nothing secret).
    public var metricsTokenDigest: [UInt8]?
    /// SHA-256 of each fleet-query reader's bearer token; the query routes are closed when empty.
    public var queryTokenDigests: [[UInt8]] = []
    /// Largest push body accepted (the protocol's bound); larger bodies get 413.
    public var maxBodyBytes = FleetPush.maxBodyBytes

    public init() {}

    public var usesTLS: Bool { tlsCertificatePath != nil }
    public var isLoopback: Bool { host == "127.0.0.1" || host == "::1" || host == "localhost" }
}
