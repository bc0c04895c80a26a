/// Input that could not be read or parsed: a missing or oversized file, JSON of the wrong
/// shape, bad base64. Distinct from a failed check (`CheckResult`), which means the input was
/// well-formed but must not be trusted.
public enum BundleInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bundle path is not a directory (a plain file, a device, missing).
    case notADirectory(path: String)
    /// A file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// A file or list is over a bound in `Limits`.
    case tooLarge(path: String, what: String, limit: Int)
    /// A field has the wrong type or value. `field` is a JSON path such as `predicate.resources[3].digest`.
    case malformed(path: String, field: String, reason: String)
    /// Directories nested deeper than `Limits.maxBundleDirectoryDepth`.
    case tooDeep(path: String, limit: Int)
    /// More files than `Limits.maxBundleFiles`.
    case tooManyFiles(path: String, limit: Int)
    /// A bundle file grew, shrank, was rewritten in place or renamed over while it was
    /// hashed: its digest describes bytes that may never be loaded. The verifier reports it
    /// as a `files.digest` failure; `bundle create` refuses to sign.
    case changedWhileHashing(path: String, change: String)

    public var description: String {
        switch self {
        case .notADirectory(let path): return "\(path): not a directory (a bundle is a model directory with model.sig inside)"
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .tooLarge(let path, let what, let limit): return "\(path): \(what) is over the limit of \(limit)"
        case .malformed(let path, let field, let reason):
            return field.isEmpty ? "\(path): \(reason)" : "\(path): \(field): \(reason)"
        case .tooDeep(let path, let limit): return "\(path): directories nested deeper than \(limit) levels"
        case .tooManyFiles(let path, let limit): return "\(path): more than \(limit) files"
        case .changedWhileHashing(let path, let change):
            return "\(path): changed while being hashed (\(change)); its digest cannot vouch for what would be loaded"
        }
    }
}
