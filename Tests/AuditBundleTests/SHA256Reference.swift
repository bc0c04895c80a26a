import AuditCore
import Foundation

/// An independent SHA-256 for cross-checks: the coreutils binary, not our OpenSSL path.
enum SHA256Reference {
    static func hash(_ bytes: [UInt8]) -> Digest {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sha-ref-\(UUID().uuidString)")
        try? Data(bytes).write(to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [dir.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try? p.run()
        p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Digest(hex: String(out.prefix(64))) ?? .zero
    }
}
