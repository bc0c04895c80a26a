#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names for `st_mode` file types, as an operator would say them.
public enum FileKind {
    public static func name(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "regular file"
        case S_IFDIR: return "directory"
        case S_IFLNK: return "symlink"
        case S_IFIFO: return "FIFO"
        case S_IFSOCK: return "socket"
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        default: return "special file"
        }
    }

    public static func isRegular(_ mode: mode_t) -> Bool { mode & S_IFMT == S_IFREG }

    static func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
}
