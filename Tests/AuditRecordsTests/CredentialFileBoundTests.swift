import AuditCore
import AuditCrypto
import AuditTesting
import Foundation
@testable import AuditRecords
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The password-verifier file is bounded before it is read: a 200 MB file planted under the
/// name the ledger gives is refused from its size (sparse here, so the test costs no disk),
/// and a FIFO there cannot stall an authentication.
@Suite struct CredentialFileBoundTests {
    let dir = TemporaryDirectory("credentials")

    func plant(_ make: (String) throws -> Void) throws -> (CredentialFiles, Digest) {
        let files = CredentialFiles(directory: dir.path)
        let digest = SHA256.hash(Array("x".utf8))
        let path = files.passwordPath(user: "alice", digest: digest)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try make(path)
        return (files, digest)
    }

    @Test func oversizedVerifierIsRefusedBeforeReading() throws {
        let (files, digest) = try plant { path in
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            #expect(truncate(path, 200 * 1024 * 1024) == 0)
        }
        #expect {
            _ = try files.passwordHash(user: "alice", digest: digest)
        } throws: { error in
            "\(error)".contains("larger than \(Limits.maxPasswordVerifierFileBytes) bytes")
        }
    }

    @Test(.timeLimit(.minutes(1))) func fifoVerifierIsRefused() throws {
        let (files, digest) = try plant { path in #expect(mkfifo(path, 0o600) == 0) }
        #expect {
            _ = try files.passwordHash(user: "alice", digest: digest)
        } throws: { error in
            "\(error)".contains("FIFO")
        }
    }
}
