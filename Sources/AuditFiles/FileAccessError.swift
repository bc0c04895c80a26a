/// A local file that could not be used, with the path and what it was for, so the CLI can
/// print one line an operator can act on ("topology.yaml: cannot use the topology: it is a
/// FIFO, not a regular file"). Callers map it onto their module's error type.
public struct FileAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// No such file (or a path component is missing).
        case notFound
        /// A FIFO, socket, device, directory — anything but a regular file.
        case notRegularFile(kind: String)
        /// Something other than a folder where a folder must be.
        case notADirectory(kind: String)
        /// A symlink where the caller requires the file itself (bundle metadata files).
        case symlink
        /// Larger than the caller's bound; found from `fstat` before a byte was read.
        case tooLarge(size: Int, limit: Int)
        /// The file changed between the checks and the read (grew, was replaced).
        case changed(String)
        /// The operating system refused: permission denied, I/O error, no space...
        case system(String)
    }

    public let path: String
    /// What the file is for, e.g. "trust root", "password file".
    public let what: String
    public let problem: Problem

    public init(path: String, what: String, problem: Problem) {
        self.path = path
        self.what = what
        self.problem = problem
    }

    public var reason: String {
        switch problem {
        case .notFound: return "no such file"
        case .notRegularFile(let kind): return "it is a \(kind), not a regular file"
        case .notADirectory(let kind): return "it is a \(kind), not a folder"
        case .symlink: return "it is a symlink; it must be a regular file inside the directory"
        case .tooLarge(let size, let limit): return "it is \(size) bytes, over the limit of \(limit) bytes"
        case .changed(let how): return "it changed while being read (\(how))"
        case .system(let message): return message
        }
    }

    public var description: String { "\(path): cannot use the \(what): \(reason)" }
}
