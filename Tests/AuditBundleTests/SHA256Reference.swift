import AuditCore
import AuditTesting
import Foundation

/// An independent SHA-256 for cross-checks: the coreutils binary, not our OpenSSL path.
enum SHA256Reference {
    static func hash(_ bytes: [UInt8]) -> Digest {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sha-ref-\(UUID().uuidString)")
        try? Data(bytes).write(to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = (try? CommandRunner.run("/usr/bin/sha256sum", [dir.path]))?.stdout ?? ""
        return Digest(hex: String(out.prefix(64))) ?? .zero
    }
}
