import AuditFleet
import AuditServer
import AuditTesting
import Foundation
import Testing

/// `auditctl serve` refuses an open network without TLS (21 CFR 11.30) and serves HTTPS
/// with Secure cookies and HSTS when given a certificate.
@Suite struct ServeCommandTests {
    @Test func refusesToListenOffTheLoopbackWithoutTLS() async throws {
        let f = try await ServerFixture.make(changes: 0)
        let r = try f.cli(["serve", "--listen", "0.0.0.0:0"])
        #expect(r.status == 64, "\(r)")
        #expect(r.stderr.contains("without TLS"))
        var options = f.options()
        options.host = "0.0.0.0"
        #expect(throws: ServerSetupError.self) { _ = try AuditServerApp(options: options) }
        let noKey = try CommandRunner.auditctl(["serve"], dataDir: f.dataDirectory)
        #expect(noKey.status != 0)
        #expect(noKey.stderr.contains("log key"), "\(noKey)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
                   "needs curl and openssl"))
    func servesHTTPSWithSecureCookiesAndHSTS() async throws {
        let f = try await ServerFixture.make(changes: 0)
        let cert = f.directory.file("cert.pem"), key = f.directory.file("key.pem")
        let gen = try CommandRunner.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                                             "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                                                             "-addext", "subjectAltName=IP:127.0.0.1"])
        #expect(gen.status == 0, "\(gen)")
        var options = f.options()
        options.tlsCertificatePath = cert
        options.tlsKeyPath = key
        try await f.live(options) { client, _ in
            let port = client.port
            let r = try await onOwnThread { try CommandRunner.run("/usr/bin/curl", ["-s", "-i", "--cacert", cert, "https://127.0.0.1:\(port)/login"]) }
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.contains("HTTP/1.1 200"))
            #expect(r.stdout.lowercased().contains("strict-transport-security: max-age="))
            let cookie = r.stdout.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("set-cookie: auditctl_login=") }
            #expect(cookie?.contains("Secure") == true, "\(r.stdout)")
            let plain = try await onOwnThread { try CommandRunner.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/login"]) }
            #expect(plain.stdout != "200", "plain HTTP is not served on the TLS port")

            // A plant pushing to this self-signed HTTPS endpoint refuses it: the fleet client
            // checks certificates against the system trust store, which does not hold this one.
            let ledger = try await TestLedger.make(entries: 1)
            let push = try #require(try FleetPushBuilder.next(from: ledger.store, origin: ledger.store.origin, centralSize: 0))
            do {
                _ = try await FleetClient(central: "https://127.0.0.1:\(port)", timeout: 5).send(push)
                Issue.record("a push went to a central whose certificate nothing vouches for")
            } catch {
                #expect("\(error)".contains("TLS certificate does not verify"), "\(error)")
            }
        }
    }
}
