import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a child's standard stream comes from or goes to.
public enum ChildStream: Sendable {
    /// /dev/null.
    case null
    /// A file: read for stdin; for stdout and stderr created or truncated.
    case file(String)
    /// A descriptor of this process (a pipe end), duplicated onto the child's stream.
    case descriptor(Int32)
}

/// The one way auditctl and its tests start programs: posix_spawn, with every descriptor
/// above 2 closed in the child (`posix_spawn_file_actions_addclosefrom_np`), no signal blocked
/// or ignored, reaped by pid.
///
/// Foundation's `Process` is not used, for two reasons:
/// - In Swift 6.3.1, `Process.run()` lists /proc/self/fd to emulate close-on-exec and copies
///   each `dirent`'s whole 256-byte name field. Past about 1,350 open descriptors the last
///   entries sit at the end of glibc's 32 KiB readdir buffer and the copy reads beyond it:
///   SIGSEGV in `memmove` (swift-corelibs-foundation PR 5472). A busy server, or the test
///   process running its tests in parallel (1,400-1,500 descriptors: ledgers, servers,
///   pipes), gets there; a CI run crashed exactly so, on the entry for descriptor 1379.
/// - It learns of a child's end through a socket the child inherits; a daemon the child
///   starts, or another child spawned at the same moment, can hold it open forever.
public enum ChildSpawn {
    /// Starts `executable` (an absolute path) with exactly `environment`; returns its pid.
    /// A `.descriptor` stream stays open in this process: the caller closes its copy.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String],
                      stdin: ChildStream = .null, stdout: ChildStream, stderr: ChildStream,
                      currentDirectory: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            let rc: Int32
            switch stream {
            case .null:
                rc = posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path):
                rc = posix_spawn_file_actions_addopen(&actions, fd, path, fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .descriptor(let source):
                rc = posix_spawn_file_actions_adddup2(&actions, source, fd)
            }
            guard rc == 0 else { throw SpawnError(reason: "posix_spawn \(executable): stream \(fd): \(String(cString: strerror(rc)))") }
        }
        if let currentDirectory {
            guard let addchdir = Self.addchdir else {
                throw SpawnError(reason: "posix_spawn \(executable): this C library cannot set a child's directory")
            }
            let rc = currentDirectory.withCString { addchdir(&actions, $0) }
            guard rc == 0 else { throw SpawnError(reason: "posix_spawn \(executable): chdir \(currentDirectory): \(String(cString: strerror(rc)))") }
        }
        guard let addclosefrom = Self.addclosefrom else {
            throw SpawnError(reason: "posix_spawn \(executable): this C library cannot close a child's inherited descriptors (glibc 2.34 or later can)")
        }
        let closeRC = addclosefrom(&actions, 3)
        guard closeRC == 0 else { throw SpawnError(reason: "posix_spawn \(executable): closefrom: \(String(cString: strerror(closeRC)))") }

        // A clean signal state: the caller's threads may block or ignore signals (the test
        // runner's do), and a child would inherit that and never see SIGTERM or SIGCHLD.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw SpawnError(reason: "posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// glibc has `posix_spawn_file_actions_addclosefrom_np` (2.34) and `..._addchdir_np` (2.29),
    /// but Swift's Glibc module exports neither; look them up once.
    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addclosefrom: AddClosefrom? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddClosefrom.self) }
    private static let addchdir: AddChdir? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }
}

public struct SpawnError: Error, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// How a child ended.
public enum ChildExit: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// The exit code, or 128 + the signal, as a shell reports it.
    public var code: Int32 {
        switch self {
        case .exited(let c): c
        case .signaled(let s): 128 + s
        }
    }

    public init(waitStatus raw: Int32) {
        self = raw & 0x7f == 0 ? .exited((raw >> 8) & 0xff) : .signaled(raw & 0x7f)
    }

    public var description: String {
        switch self {
        case .exited(let c): "exit status \(c)"
        case .signaled(let s): "signal \(s)"
        }
    }
}

extension ChildSpawn {
    /// Blocks until the child `pid` ends (retrying on EINTR).
    public static func waitForExit(_ pid: pid_t) -> ChildExit {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        return ChildExit(waitStatus: raw)
    }
}
