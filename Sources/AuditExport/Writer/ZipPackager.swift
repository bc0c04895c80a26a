import Foundation
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#endif

/// Packs staged files into the export ZIP (deflate), streaming each from disk in 1 MiB
/// chunks, with one fixed modification time so the same files make the same ZIP.
enum ZipPackager {
    static let chunk = 1 << 20

    static func pack(files: [String], from directory: String, to path: String, date: Date) throws(ExportError) {
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create) } catch {
            throw .io(path: path, reason: "cannot create the ZIP: \(error)")
        }
        for name in files {
            let source = directory + "/" + name
            guard let file = fopen(source, "rb") else { throw .io(path: source, reason: String(cString: strerror(errno))) }
            defer { fclose(file) }
            var info = stat()
            guard fstat(fileno(file), &info) == 0 else { throw .io(path: source, reason: String(cString: strerror(errno))) }
            do {
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(info.st_size), modificationDate: date,
                                     permissions: 0o644, compressionMethod: .deflate, bufferSize: chunk) { _, size in
                    var data = Data(count: size)
                    let n = data.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, file) }
                    if n < size { data.removeSubrange(n...) }
                    return data
                }
            } catch {
                throw .io(path: path, reason: "cannot add \(name) to the ZIP: \(error)")
            }
        }
    }
}
