import AuditCore
import AuditCrypto
import AuditFleet
import AuditLedger
import AuditTesting
import Foundation
import Testing

/// `FleetClient` against a scripted HTTP responder on a real socket: every answer the
/// protocol defines, and the ways a central or the network can misbehave.
@Suite struct FleetClientTests {
    /// A push of a small real ledger, and the responder's base URL.
    static func push() async throws -> FleetPush {
        let ledger = try await TestLedger.make(entries: 3)
        return try #require(try FleetPushBuilder.next(from: ledger.store, origin: ledger.store.origin, centralSize: 0))
    }

    static func send(_ reply: ScriptedHTTPServer.Reply, timeout: Double = 10, prefix: String = "") async throws
        -> (Result<FleetPushOutcome, FleetClientError>, ScriptedHTTPServer) {
        let server = try ScriptedHTTPServer { _ in reply }
        defer { server.stop() }
        let client = try FleetClient(central: server.baseURL + prefix, timeout: timeout)
        let push = try await push()
        do { return (.success(try await client.send(push)), server) } catch { return (.failure(error), server) }
    }

    @Test func twoHundredReturnsTheSignatureLinesAndThePushedSize() async throws {
        let lines = "— central.example/witness AAAAAQ==\n— other AAAAAg==\n"
        let server = try ScriptedHTTPServer { _ in .text(200, lines) }
        defer { server.stop() }
        let push = try await Self.push()
        let outcome = try await FleetClient(central: server.baseURL + "/qa/", timeout: 10).send(push)
        #expect(outcome == .cosigned(size: push.entries.count, cosignatures: lines))
        // What went over the wire: POST /qa/fleet/v1/push, JSON that decodes to the push.
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/qa/fleet/v1/push")
        #expect(request.headers["content-type"] == "application/json")
        #expect(try JSONDecoder().decode(FleetPush.self, from: Data(request.body)) == push)
    }

    @Test func conflictCarriesTheCentralsSize() async throws {
        let (result, _) = try await Self.send(.text(409, "1200\n", contentType: "text/x.tlog.size; charset=utf-8"))
        #expect(try result.get() == .conflict(centralSize: 1200))
    }

    @Test(arguments: [
        ScriptedHTTPServer.Reply.text(409, "1200\n", contentType: "text/plain"),
        .text(409, "-3\n", contentType: "text/x.tlog.size"),
        .text(409, "012\n", contentType: "text/x.tlog.size"),
        .text(409, "", contentType: "text/x.tlog.size"),
    ])
    func conflictWithoutATlogSizeIsMalformed(_ reply: ScriptedHTTPServer.Reply) async throws {
        let (result, _) = try await Self.send(reply)
        guard case .failure(.malformedResponse(409, _)) = result else {
            Issue.record("expected a malformed 409, got \(result)")
            return
        }
    }

    @Test(arguments: [(400, FleetRefusal.malformed), (403, .notSignedByEnrolledKey), (404, .unknownOrigin), (422, .inconsistent)])
    func refusalsAreTypedAndKeepTheCentralsMessage(status: Int, refusal: FleetRefusal) async throws {
        let body = #"{"error": "the entries do not hash to the checkpoint root", "field": "entries"}"#
        let (result, _) = try await Self.send(.text(status, body, contentType: "application/json"))
        #expect(result == .failure(.refused(refusal, message: "entries: the entries do not hash to the checkpoint root")))
        if case .failure(let e) = result { #expect(!e.isTransient) }
    }

    @Test func aPlainTextRefusalIsCleanedAndBounded() async throws {
        let noisy = "bad\u{1B}[31m thing\n" + String(repeating: "x", count: 5000)
        let (result, _) = try await Self.send(.text(403, noisy))
        guard case .failure(.refused(.notSignedByEnrolledKey, let message)) = result else {
            Issue.record("expected a 403 refusal, got \(result)")
            return
        }
        #expect(!message.contains("\u{1B}") && !message.contains("\n"))
        #expect(message.hasPrefix("bad [31m thing"))
        #expect(message.utf8.count <= Limits.maxFleetErrorMessageBytes + 3)
    }

    @Test func otherStatusesAreUnexpectedAndA5xxIsTransient() async throws {
        let (result, _) = try await Self.send(.text(503, "maintenance"))
        #expect(result == .failure(.unexpectedStatus(503, message: "maintenance")))
        if case .failure(let e) = result { #expect(e.isTransient) }
    }

    @Test(arguments: [
        ScriptedHTTPServer.Reply.text(200, "<html>captive portal</html>"),
        .text(200, "— witness AAAA"),  // no final newline
        .text(200, ""),
        .respond(status: 200, headers: [], body: [0xFF, 0xFE, 0x0A]),
    ])
    func garbageInsteadOfACosignatureIsMalformed(_ reply: ScriptedHTTPServer.Reply) async throws {
        let (result, _) = try await Self.send(reply)
        guard case .failure(.malformedResponse(200, _)) = result else {
            Issue.record("expected a malformed 200, got \(result)")
            return
        }
    }

    @Test func anOversizedBodyIsNotReadBeyondTheBound() async throws {
        let announced = try await Self.send(.respond(status: 200, headers: [], body: [UInt8](repeating: 0x41, count: Limits.maxFleetResponseBytes + 1)))
        #expect(announced.0 == .failure(.responseTooLarge(limit: Limits.maxFleetResponseBytes)))
        // Chunked, so no length is announced: cut off once past the bound.
        let streamed = try await Self.send(.endless(status: 200, chunks: 64))
        #expect(streamed.0 == .failure(.responseTooLarge(limit: Limits.maxFleetResponseBytes)))
    }

    @Test func aDroppedConnectionIsATransportError() async throws {
        for reply in [ScriptedHTTPServer.Reply.close, .dropMidBody(status: 200, contentLength: 500, sent: Array("— w".utf8))] {
            let (result, _) = try await Self.send(reply)
            guard case .failure(let e) = result, case .transport = e else {
                Issue.record("expected a transport error for \(reply), got \(result)")
                continue
            }
            #expect(e.isTransient)
        }
    }

    @Test func aSilentCentralTimesOut() async throws {
        let server = try ScriptedHTTPServer { _ in .silence(seconds: 30) }
        defer { server.stop() }
        let push = try await Self.push()
        // The central closes the connection after 30 s of silence, which would be a transport
        // error: a timeout error proves the client gave up first. (Elapsed wall time is not
        // asserted: on a loaded 2-core test run it measures the scheduler, not the client.)
        await #expect(throws: FleetClientError.timeout(seconds: 1)) {
            try await FleetClient(central: server.baseURL, timeout: 1).send(push)
        }
    }

    /// A refused connection fails the push at once, not after the (here 5-minute) timeout:
    /// the plant's own schedule retries, and an operator running `fleet push` by hand learns
    /// that the central is down now. The time limit is what fails if the client retries.
    @Test(.timeLimit(.minutes(1)))
    func nobodyListeningIsATransportErrorAtOnce() async throws {
        let server = try ScriptedHTTPServer { _ in .close }
        let url = server.baseURL
        server.stop()
        try await Task.sleep(nanoseconds: 100_000_000)
        let push = try await Self.push()
        await #expect(throws: FleetClientError.transport("connection refused (is the central running, and is the port right?)")) {
            try await FleetClient(central: url, timeout: 300).send(push)
        }
    }

    /// curl's proxy variables: https_proxy for https, lowercase http_proxy for http, no_proxy
    /// suffixes and `*`; the loopback is never proxied; a malformed proxy is an error.
    @Test func theProxyComesFromTheEnvironmentAsCurlReadsIt() throws {
        func proxy(_ target: String, _ env: [String: String]) throws -> String? {
            try FleetProxy.forTarget(URL(string: target)!, environment: env)?.description
        }
        let both = ["https_proxy": "http://proxy.plant:3128", "http_proxy": "proxy.plant:8080"]
        #expect(try proxy("https://fleet.example.com", both) == "proxy.plant:3128")
        #expect(try proxy("http://fleet.example.com", both) == "proxy.plant:8080")
        #expect(try proxy("https://fleet.example.com", ["HTTPS_PROXY": "http://p:1"]) == "p:1")
        #expect(try proxy("http://fleet.example.com", ["HTTP_PROXY": "http://p:1"]) == nil, "uppercase HTTP_PROXY is not trusted (httpoxy)")
        #expect(try proxy("https://fleet.example.com", both.merging(["no_proxy": "intranet, .example.com"]) { _, n in n }) == nil)
        #expect(try proxy("https://example.com", both.merging(["no_proxy": "example.com"]) { _, n in n }) == nil)
        #expect(try proxy("https://notexample.com", both.merging(["no_proxy": "example.com"]) { _, n in n }) == "proxy.plant:3128")
        #expect(try proxy("https://fleet.example.com", both.merging(["no_proxy": "*"]) { _, n in n }) == nil)
        #expect(try proxy("http://127.0.0.1:8080", both) == nil)
        #expect(try proxy("http://localhost:8080", both) == nil)
        #expect(try proxy("https://fleet.example.com", [:]) == nil)
        #expect(throws: FleetClientError.self) { try proxy("https://fleet.example.com", ["https_proxy": "socks5://p:1080"]) }
        #expect(try FleetProxy.forTarget(URL(string: "https://f.example")!, environment: ["https_proxy": "http://u:secret@p:1"])?.description == "p:1")
    }

    /// A push through a proxy: a CONNECT to the central's host and port with the proxy's
    /// credentials as Proxy-Authorization, then the push inside the tunnel, and the central's
    /// answer comes back.
    @Test func aPushGoesThroughTheProxyWithItsCredentials() async throws {
        let lines = "— central.example/witness AAAAAQ==\n"
        let central = try ScriptedHTTPServer { _ in .text(200, lines) }
        defer { central.stop() }
        let proxy = try TunnelProxy()
        defer { proxy.stop() }
        // A name no resolver knows: only the proxy connects, and it goes to the loopback port.
        let client = try FleetClient(central: "http://central.invalid:\(central.port)/qa", timeout: 10,
                                     environment: ["http_proxy": "http://plant-7:pa%3Ass@127.0.0.1:\(proxy.port)"])
        let push = try await Self.push()
        #expect(try await client.send(push) == .cosigned(size: push.entries.count, cosignatures: lines))
        let connects = proxy.connects, requests = central.requests
        try #require(connects.count == 1 && requests.count == 1, "\(connects) \(requests)")
        #expect(connects[0].target == "central.invalid:\(central.port)")
        #expect(connects[0].authorization == "Basic " + Data("plant-7:pa:ss".utf8).base64EncodedString())
        #expect(requests[0].method == "POST" && requests[0].path == "/qa/fleet/v1/push")
        #expect(requests[0].headers["proxy-authorization"] == nil, "the proxy's credentials stay with the proxy")
    }

    @Test(arguments: ["ftp://central.example", "central.example", "https://", "https://c.example/?q=1"])
    func unusableURLsAreRefusedBeforeAnythingIsSent(_ url: String) {
        #expect(throws: FleetClientError.self) { try FleetClient(central: url) }
    }

    @Test func httpsURLsAreAcceptedAndCredentialsNeverShown() throws {
        let client = try FleetClient(central: "https://plant:s3cret@fleet.example.com:8443/qa")
        #expect(client.endpoint.absoluteString == "https://plant:s3cret@fleet.example.com:8443/qa/fleet/v1/push")
        #expect(client.displayURL == "https://fleet.example.com:8443/qa/fleet/v1/push")
    }
}
