import AuditServer
import Metrics
import Prometheus

/// The fleet service's counters, as swift-metrics instruments backed by the HTTP server's own
/// Prometheus registry (no process-wide bootstrap: several centrals in one test process keep
/// their counts apart). Scraped at `/metrics` beside the request metrics.
public struct FleetMetrics: Sendable {
    public let server: ServerMetrics
    private let factory: PrometheusMetricsFactory

    public init(server: ServerMetrics = ServerMetrics()) {
        self.server = server
        self.factory = PrometheusMetricsFactory(registry: server.registry)
    }

    /// One fork, rollback, bad proof or bad entries alarm (each is also an `alarm.raised` entry).
    func alarm(origin: String, kind: AlarmKind) {
        Counter(label: "auditctl_fleet_alarms_total", dimensions: [("origin", origin), ("kind", kind.rawValue)],
                factory: factory).increment()
    }

    /// Every push answered, by HTTP status.
    func push(status: Int) {
        Counter(label: "auditctl_fleet_pushes_total", dimensions: [("status", String(status))], factory: factory).increment()
    }

    func stored(entries: Int) {
        Counter(label: "auditctl_fleet_entries_stored_total", factory: factory).increment(by: entries)
    }

    /// A fleet query without a valid reader token.
    func queryAuthFailure() {
        Counter(label: "auditctl_fleet_query_auth_failures_total", factory: factory).increment()
    }

    /// A /metrics scrape without the scraper token (when one is configured).
    func metricsAuthFailure() {
        Counter(label: "auditctl_fleet_metrics_auth_failures_total", factory: factory).increment()
    }

    public func exposition() -> String { server.exposition() }
}
