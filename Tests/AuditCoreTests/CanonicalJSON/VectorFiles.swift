import Foundation

/// Reads the spec-owned vectors copied into the test bundle from `Tests/AuditCoreTests/Vectors`.
enum VectorFiles {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func directory(_ name: String) throws -> URL {
        guard let root = Bundle.module.url(forResource: "Vectors", withExtension: nil) else {
            throw Missing(description: "Vectors folder not found in the AuditCoreTests bundle")
        }
        return root.appendingPathComponent(name, isDirectory: true)
    }

    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// The `NAME.in.json` / `NAME.out.json` pairs in `folder`, sorted by name.
    static func canonicalizationPairs(in folder: String) throws -> [(name: String, input: [UInt8], expected: [UInt8])] {
        let dir = try directory(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".in.json") }
            .map { String($0.dropLast(".in.json".count)) }
            .sorted()
        return try names.map { name in
            (name,
             try bytes(dir.appendingPathComponent(name + ".in.json")),
             try bytes(dir.appendingPathComponent(name + ".out.json")))
        }
    }

    /// Non-comment lines of a text vector file.
    static func lines(_ folder: String, _ file: String) throws -> [String] {
        let text = String(decoding: try bytes(try directory(folder).appendingPathComponent(file)), as: UTF8.self)
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }
}
