import AuditCore
import AuditFleet
@testable import AuditFleetCentral
import AuditTesting
import Foundation
import Testing

/// A plant pushing to a central whose HTTPS certificate comes from the company's own CA, the
/// way plant IT deploys it: the push succeeds with that CA given as `--ca-file` (here
/// `FleetTrust`), and is refused without it, before a byte of the push leaves the plant.
@Suite struct FleetTLSTests {
    static let openssl = "/usr/bin/openssl"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: openssl), "needs openssl"))
    func aPushOverHTTPSTrustsTheCompanyCAGivenAndNothingElse() async throws {
        let pki = try CompanyPKI.make()
        let plant = try await TestPlant.make(entries: 40)
        try await Self.withHTTPSCentral(pki, enrolling: plant) { f, http in
            // The certificate names `localhost`, which resolves to the loopback it listens on.
            let url = "https://localhost:\(http.port)"

            // Without the CA: refused on the certificate, and nothing reached the store.
            let untrusting = try FleetClient(central: url, timeout: 10)
            let push = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0))
            do {
                _ = try await untrusting.send(push)
                Issue.record("a push went to a central whose certificate this host does not trust")
            } catch {
                #expect("\(error)".contains("TLS certificate does not verify"), "\(error)")
            }
            #expect(try await f.count("SELECT count(*) FROM plant_entries") == 0)

            // A CA that did not issue the certificate does not help either.
            let stranger = try CompanyPKI.make()
            do {
                _ = try await FleetClient(central: url, timeout: 10, trust: FleetTrust.load(caFile: stranger.caCertificate)).send(push)
                Issue.record("a CA that did not issue the central's certificate was enough")
            } catch {
                #expect("\(error)".contains("TLS certificate does not verify"), "\(error)")
            }

            // With the company CA: every entry pushed, cosigned by the central's witness key.
            let client = try FleetClient(central: url, timeout: 10, trust: FleetTrust.load(caFile: pki.caCertificate))
            let pusher = FleetPusher(store: plant.ledger.store, transport: client, witness: f.central.witnessKey, batchSize: 15)
            let summary = try await pusher.pushUntilCurrent()
            let size = try plant.ledger.store.size()
            #expect(summary.centralSize == size && summary.entriesPushed == size, "\(summary)")
            #expect(summary.cosigned?.size == size, "\(summary)")
            #expect(try await f.count("SELECT count(*) FROM plant_entries") == size)

            // The same server reached by a name its certificate does not carry (here its
            // address), from the same trusted CA, is still refused.
            let wrongName = try FleetClient(central: "https://127.0.0.1:\(http.port)", timeout: 10,
                                            trust: FleetTrust.load(caFile: pki.caCertificate))
            do {
                _ = try await wrongName.send(push)
                Issue.record("a certificate for localhost was accepted for 127.0.0.1")
            } catch {
                #expect("\(error)".contains("TLS certificate is not issued for 127.0.0.1"), "\(error)")
            }
        }
    }

    /// The plant as many sit: behind the site's HTTP proxy, which tunnels with CONNECT and
    /// wants credentials, to a central certified by the company CA. The proxy never sees the
    /// TLS inside (without the CA the push is still refused on the certificate), and the
    /// name checked is the central's, not the proxy's.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: openssl), "needs openssl"))
    func aPushThroughTheSiteProxyReachesTheHTTPSCentral() async throws {
        let pki = try CompanyPKI.make(names: ["fleet.example.test"])
        let plant = try await TestPlant.make(entries: 30)
        let proxy = try TunnelProxy(requiredAuthorization: "Basic " + Data("plant-basel:s3cret".utf8).base64EncodedString())
        defer { proxy.stop() }
        try await Self.withHTTPSCentral(pki, enrolling: plant) { f, http in
            // A name no resolver here knows: only the proxy connects, and it goes to the loopback.
            let central = "https://fleet.example.test:\(http.port)"
            let environment = ["https_proxy": proxy.url(user: "plant-basel", password: "s3cret"), "no_proxy": "localhost"]
            let trust = try FleetTrust.load(caFile: pki.caCertificate)
            let push = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0))

            let wrongPassword = try FleetClient(central: central, timeout: 10, trust: trust,
                                                environment: ["https_proxy": proxy.url(user: "plant-basel", password: "guess")])
            do {
                _ = try await wrongPassword.send(push)
                Issue.record("the proxy let a push through with the wrong credentials")
            } catch {
                #expect("\(error)".contains("the proxy refused"), "\(error)")
            }
            do {
                _ = try await FleetClient(central: central, timeout: 10, environment: environment).send(push)
                Issue.record("a certificate nothing here vouches for was accepted through the proxy")
            } catch {
                #expect("\(error)".contains("TLS certificate does not verify"), "\(error)")
            }
            #expect(try await f.count("SELECT count(*) FROM plant_entries") == 0)

            let client = try FleetClient(central: central, timeout: 10, trust: trust, environment: environment)
            let summary = try await FleetPusher(store: plant.ledger.store, transport: client, witness: f.central.witnessKey,
                                                batchSize: 10).pushUntilCurrent()
            let size = try plant.ledger.store.size()
            #expect(summary.centralSize == size && summary.cosigned?.size == size, "\(summary)")
            #expect(try await f.count("SELECT count(*) FROM plant_entries") == size)
            let connects = proxy.connects
            #expect(connects.count >= 4, "\(connects)")
            #expect(connects.allSatisfy { $0.target == "fleet.example.test:\(http.port)" }, "\(connects)")
        }
    }

    /// A central on its own database with `plant` enrolled, serving HTTPS with `pki`'s
    /// server certificate on a port the system picks.
    static func withHTTPSCentral(_ pki: CompanyPKI, enrolling plant: TestPlant,
                                 _ body: @escaping @Sendable (FleetFixture, RawHTTP) async throws -> Void) async throws {
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            var options = FleetServerOptions()
            options.port = 0
            options.tlsCertificatePath = pki.serverCertificate
            options.tlsKeyPath = pki.serverKey
            try await FleetFixture.serve(f.central, options: options) { http in try await body(f, http) }
        }
    }

    @Test func aCAFileThatCannotBeUsedIsNamedWithItsReason() throws {
        let dir = TemporaryDirectory()
        func reason(_ path: String) -> String {
            do { _ = try FleetTrust.load(caFile: path); return "loaded" } catch { return error.description }
        }
        #expect(reason(dir.file("absent.pem")) == "cannot use the CA file '\(dir.file("absent.pem"))': no such file")
        #expect(reason(dir.path).contains("not a regular file"))
        try "hello\n".write(toFile: dir.file("text.pem"), atomically: true, encoding: .utf8)
        #expect(reason(dir.file("text.pem")).hasSuffix("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)"))
        try "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n".write(toFile: dir.file("bad.pem"), atomically: true, encoding: .utf8)
        #expect(reason(dir.file("bad.pem")).contains("a certificate in it does not parse"))
        try Data(count: FleetTrust.maxFileBytes + 1).write(to: URL(fileURLWithPath: dir.file("huge.pem")))
        #expect(reason(dir.file("huge.pem")).contains("cannot use the CA file"))
        #expect(reason(dir.file("huge.pem")) != "loaded")

        // The option wins over the environment; an empty variable means none.
        #expect(try FleetTrust.from(option: nil, environment: [:]) == nil)
        #expect(try FleetTrust.from(option: nil, environment: [FleetTrust.environmentVariable: ""]) == nil)
        #expect(throws: FleetClientError.self) {
            try FleetTrust.from(option: dir.file("absent.pem"), environment: [FleetTrust.environmentVariable: ""])
        }
    }
}

/// A company CA and a server certificate it issued for DNS names (`localhost` unless told;
/// no address, so 127.0.0.1 is not in it), made with openssl.
struct CompanyPKI {
    let directory: TemporaryDirectory
    var caCertificate: String { directory.file("ca.pem") }
    var serverCertificate: String { directory.file("server.pem") }
    var serverKey: String { directory.file("server.key") }

    static func make(names: [String] = ["localhost"]) throws -> CompanyPKI {
        let dir = TemporaryDirectory("auditctl-pki")
        let pki = CompanyPKI(directory: dir)
        try "subjectAltName=\(names.map { "DNS:" + $0 }.joined(separator: ","))\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n"
            .write(toFile: dir.file("server.ext"), atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.file("ca.key"),
             "-out", pki.caCertificate, "-days", "2", "-subj", "/O=Example Pharma/CN=Example Pharma Plant CA",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", pki.serverKey,
             "-out", dir.file("server.csr"), "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", dir.file("server.csr"), "-CA", pki.caCertificate, "-CAkey", dir.file("ca.key"), "-CAcreateserial",
             "-out", pki.serverCertificate, "-days", "1", "-extfile", dir.file("server.ext")],
        ]
        for step in steps {
            let r = try CommandRunner.run(FleetTLSTests.openssl, step)
            guard r.status == 0 else { throw PKIFailure(step: step.joined(separator: " "), output: "\(r)") }
        }
        return pki
    }

    struct PKIFailure: Error { let step: String; let output: String }
}
