import AuditCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A regular file found in the bundle, ready to hash.
public struct WalkedFile: Sendable, Equatable {
    public let path: BundlePath
    /// What to open: the file itself, or for an allowed symlink its resolved target.
    public let fileSystemPath: String
    public let size: Int
    /// true when reached through a symlink (only with `allow_symlinks`).
    public let viaSymlink: Bool
    /// Inode, size and times at the walk; hashing refuses the file if any of them moves.
    let identity: FileIdentity

    init(path: BundlePath, fileSystemPath: String, viaSymlink: Bool, stat st: stat) {
        self.path = path
        self.fileSystemPath = fileSystemPath
        self.size = Int(st.st_size)
        self.viaSymlink = viaSymlink
        self.identity = FileIdentity(st)
    }
}

/// Something in the bundle that must not be loaded: the layout check fails on any of these.
public enum LayoutProblem: Sendable, Equatable, CustomStringConvertible {
    /// A symlink, where the manifest does not allow symlinks.
    case symlink(path: String, target: String)
    /// A symlink whose target is outside the bundle (or dangling, or a directory).
    case symlinkLeavesBundle(path: String, target: String)
    /// A FIFO, socket, device or other non-regular file.
    case specialFile(path: String, kind: String)
    /// A manifest resource whose name is absolute or climbs out with `..`.
    case pathTraversal(name: String)

    /// The bundle path concerned (nil for manifest names).
    public var path: String? {
        switch self {
        case .symlink(let p, _), .symlinkLeavesBundle(let p, _), .specialFile(let p, _): return p
        case .pathTraversal: return nil
        }
    }

    public var description: String {
        switch self {
        case .symlink(let p, let t): return "\(p) is a symlink (to \(t)); the manifest does not allow symlinks"
        case .symlinkLeavesBundle(let p, let t): return "\(p) is a symlink to \(t), outside the bundle or not a regular file"
        case .specialFile(let p, let k): return "\(p) is a \(k), not a regular file"
        case .pathTraversal(let n): return "manifest names '\(n)', which is absolute or leaves the bundle"
        }
    }
}

/// Every file of a bundle directory, sorted in manifest order, plus layout problems.
public struct BundleTree: Sendable {
    public let root: String
    public let files: [WalkedFile]
    public let problems: [LayoutProblem]
    public var totalBytes: Int { files.reduce(0) { $0 + $1.size } }
}

/// Walks a bundle directory without following symlinks blindly: each entry is `lstat`ed,
/// symlinks are resolved and must land on a regular file inside the bundle, anything that is
/// not a regular file or directory is reported. Depth and file count are bounded (`Limits`).
///
/// Ignored paths (the signed manifest's `ignore_paths`, and the bundle's own signature and
/// proof files) are left out of hashing and the file set, but not out of the layout check:
/// a FIFO in `.git` or a `model.sig` that is a symlink out of the bundle is still refused,
/// because no path is exempt from "no special file, no link leaving the bundle".
public enum BundleWalker {
    public static func walk(root: String, serialization: Serialization) throws(BundleInputError) -> BundleTree {
        var st = stat()
        guard stat(root, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { throw .notADirectory(path: root) }
        guard let rootReal = realPath(root) else { throw .unreadable(path: root, reason: "cannot resolve the path") }
        var state = WalkState(rootReal: rootReal, ignored: serialization.effectiveIgnoredPaths,
                              allowSymlinks: serialization.allowSymlinks, displayRoot: root)
        try state.visit(directory: rootReal, relative: [], depth: 0)
        let sorted = state.files.sorted { $0.path < $1.path }
        return BundleTree(root: root, files: sorted, problems: state.problems)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

private struct WalkState {
    let rootReal: String
    let ignored: [BundlePath]
    let allowSymlinks: Bool
    let displayRoot: String
    var files: [WalkedFile] = []
    var problems: [LayoutProblem] = []
    var ignoredCount = 0

    mutating func visit(directory: String, relative: [String], depth: Int) throws(BundleInputError) {
        guard depth <= Limits.maxBundleDirectoryDepth else {
            throw .tooDeep(path: displayRoot + "/" + relative.joined(separator: "/"), limit: Limits.maxBundleDirectoryDepth)
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw .unreadable(path: directory, reason: "cannot list the directory")
        }
        for name in names.sorted() {
            let rel = BundlePath(trustedComponents: relative + [name])
            let isIgnored = ignored.contains(where: { rel.isWithin($0) })
            let full = directory + "/" + name
            var st = stat()
            guard lstat(full, &st) == 0 else { throw .unreadable(path: full, reason: String(cString: strerror(errno))) }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                try add(WalkedFile(path: rel, fileSystemPath: full, viaSymlink: false, stat: st), ignored: isIgnored)
            case S_IFDIR:
                try visit(directory: full, relative: relative + [name], depth: depth + 1)
            case S_IFLNK:
                try symlink(rel, full, ignored: isIgnored)
            case S_IFIFO: problems.append(.specialFile(path: rel.string, kind: "FIFO"))
            case S_IFSOCK: problems.append(.specialFile(path: rel.string, kind: "socket"))
            case S_IFCHR: problems.append(.specialFile(path: rel.string, kind: "character device"))
            case S_IFBLK: problems.append(.specialFile(path: rel.string, kind: "block device"))
            default: problems.append(.specialFile(path: rel.string, kind: "special file"))
            }
        }
    }

    mutating func symlink(_ rel: BundlePath, _ full: String, ignored isIgnored: Bool) throws(BundleInputError) {
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?"
        guard allowSymlinks else { problems.append(.symlink(path: rel.string, target: target)); return }
        var st = stat()
        guard let resolved = BundleWalker.realPath(full), resolved.hasPrefix(rootReal + "/"),
              stat(resolved, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            problems.append(.symlinkLeavesBundle(path: rel.string, target: target))
            return
        }
        try add(WalkedFile(path: rel, fileSystemPath: resolved, viaSymlink: true, stat: st), ignored: isIgnored)
    }

    /// Ignored files are counted (a bundle cannot hide a million files in `.git`) but not hashed.
    mutating func add(_ file: WalkedFile, ignored isIgnored: Bool) throws(BundleInputError) {
        guard files.count + ignoredCount < Limits.maxBundleFiles else { throw .tooManyFiles(path: displayRoot, limit: Limits.maxBundleFiles) }
        if isIgnored { ignoredCount += 1 } else { files.append(file) }
    }
}
