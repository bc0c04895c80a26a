import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL

extension HTTPServerBuilder {
    /// HTTP/1.1, over TLS 1.2+ when a PEM certificate chain and key are given. Shared by
    /// `auditctl serve` and `auditctl fleet serve`, which map the error to their own types.
    public static func http1(tlsCertificatePath cert: String?, keyPath key: String?) throws -> HTTPServerBuilder {
        guard let cert, let key else { return .http1() }
        let chain = try NIOSSLCertificate.fromPEMFile(cert).map { NIOSSLCertificateSource.certificate($0) }
        let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey))
        tls.minimumTLSVersion = .tlsv12
        return try .tls(.http1(), tlsConfiguration: tls)
    }
}
