import AuditCore
import Foundation

/// A policy or topology file that could not be opened at all (as opposed to one that was
/// read and found malformed, which is a `YAMLInputError`).
public enum PolicyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file"
        case .unreadable(let path, let reason): return "\(path): cannot be read: \(reason)"
        }
    }
}

enum PolicyFile {
    /// Reads at most one byte past `Limits.maxYAMLBytes`, so an oversized (or endless,
    /// e.g. /dev/zero) file is refused by the parser's size check without being slurped.
    static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PolicyFileError.notFound(path: path)
        }
        if isDirectory.boolValue { throw PolicyFileError.unreadable(path: path, reason: "it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PolicyFileError.unreadable(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: Limits.maxYAMLBytes + 1) ?? Data()
            return [UInt8](data)
        } catch {
            throw PolicyFileError.unreadable(path: path, reason: String(describing: error))
        }
    }
}

/// Id and name checks shared by the topology and rule loaders.
enum Identifier {
    /// Ids end up in path fingerprints (`ZR-007:a>c>b#q`), so `>`, `#` and spaces are refused.
    static func validate(_ text: String, node: YAMLNode, file: String, what: String) throws(YAMLInputError) -> String {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        guard !text.isEmpty, text.utf8.count <= Limits.maxTopologyIdentifierBytes, allowed else {
            throw YAMLInputError(file: file, at: node,
                "\(what): '\(text)' is not a valid id (1-\(Limits.maxTopologyIdentifierBytes) letters, digits, '-', '_' or '.')")
        }
        return text
    }
}
