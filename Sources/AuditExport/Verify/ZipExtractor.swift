import AuditCore
import AuditCrypto
import Foundation
import ZIPFoundation

/// Unpacks an export ZIP into a private directory, hashing each file as it streams out.
/// Names are checked before anything is written: no absolute path, no `..`, no links,
/// no duplicates, a bounded number of entries.
enum ZipExtractor {
    struct Extracted {
        var files: [String: ManifestFile] = [:]
        var problems: [ExportProblem] = []
    }

    static func extract(_ zip: String, into directory: String) throws(ExportError) -> Extracted {
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .read) } catch {
            throw .unreadable(path: zip, reason: "not a ZIP archive (\(error))")
        }
        var out = Extracted()
        var count = 0
        for entry in archive {
            count += 1
            guard count <= ExportLayout.maxZipEntries else {
                throw .unreadable(path: zip, reason: "more than \(ExportLayout.maxZipEntries) files")
            }
            let name = entry.path
            guard entry.type == .file else {
                if entry.type == .directory { continue }
                out.problems.append(ExportProblem(file: name, "is a link, not a file; exports hold plain files only"))
                continue
            }
            guard ExportManifest.isSafeName(name) else {
                out.problems.append(ExportProblem(file: name, "unsafe file name in the ZIP (absolute, '..' or control characters); not extracted"))
                continue
            }
            guard out.files[name] == nil else {
                out.problems.append(ExportProblem(file: name, "appears twice in the ZIP"))
                continue
            }
            let path = directory + "/" + name
            do {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
            } catch { throw .io(path: path, reason: "\(error)") }
            guard let file = fopen(path, "wbx") else { throw .io(path: path, reason: String(cString: strerror(errno))) }
            let hasher = SHA256Hasher()
            var size = 0
            do {
                _ = try archive.extract(entry, bufferSize: 1 << 20) { data in
                    data.withUnsafeBytes { raw in
                        hasher.update(raw)
                        _ = fwrite(raw.baseAddress, 1, raw.count, file)
                    }
                    size += data.count
                }
                fclose(file)
            } catch {
                fclose(file)
                out.problems.append(ExportProblem(file: name, "cannot be read from the ZIP (\(error)): the archive is damaged"))
                continue
            }
            out.files[name] = ManifestFile(name: name, size: size, sha256: hasher.finalize())
        }
        return out
    }
}
