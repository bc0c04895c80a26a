import Foundation
import Prometheus

/// Prometheus metrics of one server, in its own registry (no process-wide bootstrap, so
/// several servers in one test process do not mix their counts). Request counts and
/// latency by route template and status; ledger gauges are set when scraped.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    public init() {}
    private static let buckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                              .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                              .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5)]

    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: .init(namespace: "auditctl", metricName: "http_requests", unitName: "total",
                                               helpText: "HTTP requests by route template, method and status"),
                             labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: .init(namespace: "auditctl", metricName: "http_request_duration", unitName: "seconds",
                                                         helpText: "HTTP request latency by route template and method"),
                                       labels: [("route", route), ("method", method)], buckets: Self.buckets).record(duration)
    }

    public func gauge(_ name: String, _ help: String, _ value: Double) {
        registry.makeGauge(descriptor: .init(namespace: "auditctl", metricName: name, unitName: "count", helpText: help)).set(value)
    }

    func loginFailure() {
        registry.makeCounter(descriptor: .init(namespace: "auditctl", metricName: "login_failures", unitName: "total",
                                               helpText: "Failed logins (each is also an auth.failed entry)")).increment()
    }

    public func exposition() -> String { registry.emitToString() }
}
