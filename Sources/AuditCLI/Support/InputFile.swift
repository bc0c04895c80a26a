import AuditCore
import AuditFiles
#if canImport(Glibc)
import Glibc
#endif

/// Every file argument of every command goes through here (or through a library loader
/// built on the same `SafeFileReader`): regular files only, opened without blocking, size
/// bound checked before reading. A FIFO given as `--password-file` is refused at once
/// rather than hanging a script on fifty edges.
enum InputFile {
    static func read(_ path: String, limit: Int, what: String) throws -> [UInt8] {
        do { return try SafeFileReader.read(path, limit: limit, what: what) } catch {
            throw CLIFailure(file: error)
        }
    }

    /// `-` reads standard input, bounded the same way.
    static func readOrStandardInput(_ path: String, limit: Int, what: String) throws -> [UInt8] {
        guard path == "-" else { return try read(path, limit: limit, what: what) }
        do { return try SafeFileReader.readStandardInput(limit: limit, what: what) } catch {
            throw CLIFailure(file: error)
        }
    }
}

/// Files a command writes for the operator (`--out`): replaced atomically, with an exact
/// mode whatever the umask.
enum OutputFile {
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t, what: String) throws {
        do { try SafeFileWriter.replace(path, with: bytes, mode: mode, what: what) } catch {
            throw CLIFailure(error.description, hint: "check the directory exists and is writable", code: .storage)
        }
    }
}

extension CLIFailure {
    /// Missing file: exit 4; wrong kind of file, too large, changed, unreadable: exit 3.
    init(file e: FileAccessError) {
        switch e.problem {
        case .notFound:
            self.init(e.description, hint: "check the path", code: .notFound)
        case .notRegularFile, .symlink, .notADirectory:
            self.init(e.description, hint: "give a regular file; pipes, devices and folders are refused so nothing can hang or feed endless input",
                      code: .malformedInput)
        case .tooLarge:
            self.init(e.description, hint: "this is not the file auditctl expects; sizes are bounded (Docs/threat-model.md, Limits)",
                      code: .malformedInput)
        case .changed:
            self.init(e.description, hint: "something rewrote the file while it was read; retry once it is stable", code: .malformedInput)
        case .system:
            self.init(e.description, hint: "check the file's permissions", code: .malformedInput)
        }
    }
}
