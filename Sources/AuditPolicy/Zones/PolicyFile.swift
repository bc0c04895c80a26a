import AuditCore
import AuditFiles
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
    /// Reads a policy, topology or rules file through `SafeFileReader`: a FIFO, device or
    /// directory is refused without blocking, and a file over `Limits.maxYAMLBytes` is
    /// refused from its size before any byte is read (the same message the parser gives).
    static func read(_ path: String, what: String = "YAML file") throws -> [UInt8] {
        do {
            return try SafeFileReader.read(path, limit: Limits.maxYAMLBytes, what: what)
        } catch {
            switch error.problem {
            case .notFound: throw PolicyFileError.notFound(path: path)
            case .tooLarge(let size, let limit):
                throw YAMLInputError(file: path, line: nil, column: nil,
                                     message: "file is \(size) bytes, over the limit of \(limit) bytes")
            default: throw PolicyFileError.unreadable(path: path, reason: error.reason)
            }
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
