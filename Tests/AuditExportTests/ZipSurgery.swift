import Foundation
import ZIPFoundation

/// Rewrites an export ZIP the way someone tampering with it would: read every file,
/// change, drop or add some, and pack the rest unchanged.
enum ZipSurgery {
    static func files(of zip: String) throws -> [(name: String, bytes: [UInt8])] {
        let archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .read)
        var out: [(String, [UInt8])] = []
        for entry in archive where entry.type == .file {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            out.append((entry.path, [UInt8](data)))
        }
        return out
    }

    static func write(_ files: [(name: String, bytes: [UInt8])], to zip: String) throws {
        try? FileManager.default.removeItem(atPath: zip)
        let archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .create)
        for (name, bytes) in files {
            let data = Data(bytes)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// A copy of `zip` at `out` with `transform` applied to each file (nil drops it) and `added` appended.
    static func rewrite(_ zip: String, to out: String, added: [(String, [UInt8])] = [],
                        _ transform: (String, [UInt8]) -> [UInt8]?) throws {
        let files = try files(of: zip).compactMap { f in transform(f.name, f.bytes).map { (f.name, $0) } }
        try write(files + added, to: out)
    }

    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    }

    static func join(_ lines: [[UInt8]]) -> [UInt8] {
        Array(lines.joined(separator: [0x0A]))
    }
}

extension ZipSurgery {
    static func file(_ zip: String, _ name: String) throws -> [UInt8] {
        guard let f = try files(of: zip).first(where: { $0.name == name }) else { throw CocoaError(.fileNoSuchFile) }
        return f.bytes
    }

    static func text(_ zip: String, _ name: String) throws -> String { String(decoding: try file(zip, name), as: UTF8.self) }
}
