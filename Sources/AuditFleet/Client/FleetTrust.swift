import AuditFiles
import NIOSSL

/// Extra certificate authorities a plant trusts for the central's HTTPS certificate, beside
/// the system trust store: a company CA that plant IT does not want in every program's store.
/// Read once, when the command starts, so a missing or unreadable file is a usage error named
/// by its path rather than a failed push hours later. Like curl's `--cacert`, but the system
/// store still counts (the central may move to a public certificate without a plant change).
public struct FleetTrust: Sendable {
    /// The environment variable that names the CA file when no option does.
    public static let environmentVariable = "AUDITCTL_FLEET_CA_FILE"
    /// A CA bundle of a few dozen certificates is a few hundred KB; more is not a CA file.
    public static let maxFileBytes = 4 << 20

    let certificates: [NIOSSLCertificate]

    /// The certificates of a PEM file (one or more `-----BEGIN CERTIFICATE-----` blocks).
    public static func load(caFile path: String) throws(FleetClientError) -> FleetTrust {
        let bytes: [UInt8]
        do { bytes = try SafeFileReader.read(path, limit: maxFileBytes, what: "CA file") } catch {
            throw .trustFile(path: path, reason: error.reason)
        }
        guard String(decoding: bytes, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            throw .trustFile(path: path, reason: "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        let certificates: [NIOSSLCertificate]
        do { certificates = try NIOSSLCertificate.fromPEMBytes(bytes) } catch {
            throw .trustFile(path: path, reason: "a certificate in it does not parse (\(error))")
        }
        guard !certificates.isEmpty else { throw .trustFile(path: path, reason: "it holds no certificate") }
        return FleetTrust(certificates: certificates)
    }

    /// The file named by `option` if given, else by `$AUDITCTL_FLEET_CA_FILE`, else none.
    public static func from(option: String?, environment: [String: String]) throws(FleetClientError) -> FleetTrust? {
        guard let path = option ?? environment[environmentVariable].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        return try load(caFile: path)
    }

    /// The client TLS configuration: full verification, system roots plus these.
    var tlsConfiguration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = [.certificates(certificates)]
        return tls
    }
}
