import AuditCore
import AuditCrypto
import AuditServer
import Hummingbird
import NIOCore

/// The route handlers; one extension per group (push, central log, health).
struct FleetRoutes: Sendable {
    let central: FleetCentral
    let options: FleetServerOptions
}

extension FleetRoutes {
    func addPush(to router: Router<ServerContext>) {
        router.post("/fleet/v1/push") { request, context in
            var request = request
            let buffer: ByteBuffer
            do { buffer = try await request.collectBody(upTo: options.maxBodyBytes) } catch is NIOTooManyBytesError {
                throw FleetFailure(.contentTooLarge, code: "body_too_large", "the push is larger than \(options.maxBodyBytes) bytes",
                                   field: "(body)", hint: "push fewer entries at a time (at most 10,000)")
            } catch {
                // A connection cut mid-body (a WAN link dropping): routine, nothing to store.
                context.logger.info("push body incomplete", metadata: ["error": "\(String(describing: type(of: error)))"])
                throw FleetFailure(.badRequest, code: "incomplete_body", "the push body ended before its Content-Length",
                                   field: "(body)", hint: "nothing was stored; push again")
            }
            let decision = try await central.ingest(body: Array(buffer.readableBytesView))
            return Self.response(decision, requestID: context.id)
        }
    }

    /// The tlog-witness answers: cosignature lines, `text/x.tlog.size`, or a JSON error.
    static func response(_ decision: PushDecision, requestID: String) -> Response {
        switch decision {
        case let .cosigned(_, _, lines):
            return Reply.text(lines, contentType: "text/plain; charset=utf-8")
        case let .conflict(size):
            return Reply.text("\(size)\n", contentType: "text/x.tlog.size", status: .conflict)
        case let .malformed(field, reason):
            return FleetFailure(.badRequest, code: "malformed_push", "push field \(field): \(reason)", field: field,
                                hint: "nothing was stored; Docs/fleet.md describes the push").response(requestID: requestID)
        case let .forbidden(reason):
            return FleetFailure(.forbidden, code: "bad_signature", reason,
                                hint: "push checkpoints signed by the log key this plant was enrolled with").response(requestID: requestID)
        case let .unknownOrigin(origin):
            return FleetFailure(.notFound, code: "unknown_origin", "no plant with origin \(origin) is enrolled",
                                hint: "an admin enrolls the plant with `auditctl fleet enroll`").response(requestID: requestID)
        case let .refused(alarm, message, evidence):
            return FleetFailure(.unprocessableContent, code: alarm.rawValue, message,
                                hint: "refused and kept as evidence \(evidence); an alarm was raised").response(requestID: requestID)
        }
    }

    func addHealth(to router: Router<ServerContext>) {
        router.get("/healthz") { _, _ in Reply.json(.object(["status": "ok"])) }
        router.get("/readyz") { _, _ in
            do {
                let checkpoint = try await central.reader.latestCheckpoint()
                return Reply.json(.object(["status": "ready", "size": .number(Double(checkpoint?.size ?? 0))]))
            } catch {
                return Reply.json(.object(["status": "not ready", "reason": "the fleet database cannot be read"]), status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { request, context in
            if let expected = options.metricsTokenDigest {
                let auth = request.headers[.authorization] ?? ""
                let presented = auth.lowercased().hasPrefix("bearer ") ? SHA256.hash(Array(auth.dropFirst(7).utf8)).bytes : []
                guard presented.count == expected.count, ConstantTime.equal(presented, expected) else {
                    // Recorded like a refused reader: counted, and logged with the client's address.
                    central.metrics.metricsAuthFailure()
                    context.logger.warning("metrics scrape refused: missing or unknown scraper token",
                                           metadata: ["client": "\(context.remoteAddress)"])
                    throw FleetFailure(.unauthorized, code: "authentication_required", "metrics need the scraper token",
                                       hint: "send Authorization: Bearer <token from --metrics-token-file>")
                }
            }
            return Reply.text(central.metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
