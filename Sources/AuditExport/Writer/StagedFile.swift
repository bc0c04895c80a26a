import AuditCore
import AuditCrypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One export file being written to the staging directory: buffered, hashed (SHA-256) and
/// counted as it goes, so the manifest never re-reads what was just written.
final class StagedFile {
    let name: String
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private let hasher = SHA256Hasher()
    private(set) var size = 0
    private var buffer: [UInt8] = []
    private static let flushAt = 1 << 20

    init(name: String, directory: String) throws(ExportError) {
        self.name = name
        self.path = directory + "/" + name
        let parent = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw .io(path: parent, reason: "\(error)")
        }
        guard let f = fopen(path, "wbx") else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        file = f
        buffer.reserveCapacity(Self.flushAt + 64 * 1024)
    }

    deinit { fclose(file) }

    func write(_ bytes: [UInt8]) throws(ExportError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushAt { try flush() }
    }

    func write(_ text: String) throws(ExportError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushAt { try flush() }
    }

    func write(_ bytes: ArraySlice<UInt8>) throws(ExportError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushAt { try flush() }
    }

    /// Appends a whole file (a fragment staged separately), streaming.
    func append(contentsOf other: String) throws(ExportError) {
        guard let source = fopen(other, "rb") else { throw .io(path: other, reason: String(cString: strerror(errno))) }
        defer { fclose(source) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, source) }
            if n == 0 { break }
            try write(chunk[0..<n])
        }
        guard ferror(source) == 0 else { throw .io(path: other, reason: "read failed") }
    }

    private func flush() throws(ExportError) {
        guard !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { raw -> Int in
            hasher.update(raw)
            return fwrite(raw.baseAddress, 1, raw.count, file)
        }
        guard written == buffer.count else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        size += written
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file's buffer; returns what the manifest lists.
    func finish() throws(ExportError) -> ManifestFile {
        try flush()
        guard fflush(file) == 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        return ManifestFile(name: name, size: size, sha256: hasher.finalize())
    }
}
