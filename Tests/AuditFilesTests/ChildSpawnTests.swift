import AuditFiles
import AuditTesting
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `ChildSpawn` replaces Foundation's `Process`, which in Swift 6.3.1 reads past glibc's
/// readdir buffer once a process holds ~1,350 descriptors (it crashed a CI run at fd 1379).
@Suite struct ChildSpawnTests {
    let dir = TemporaryDirectory("child-spawn")

    /// Opens `count` descriptors on /dev/null (raising the soft limit if needed); closes them after `body`.
    func withManyDescriptors<T>(_ count: Int, _ body: () throws -> T) throws -> T {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < rlim_t(count + 512) {
            limit.rlim_cur = min(limit.rlim_max, rlim_t(count + 512))
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        }
        var fds: [Int32] = []
        defer { fds.forEach { close($0) } }
        while fds.count < count {
            let fd = open("/dev/null", O_RDONLY)
            try #require(fd >= 0, "could only open \(fds.count) descriptors")
            fds.append(fd)
        }
        return try body()
    }

    @Test func withTwoThousandDescriptorsOpenAChildStartsAndInheritsOnlyItsStandardStreams() throws {
        let pid = try withManyDescriptors(2_000) {
            try ChildSpawn.start("/bin/sleep", ["30"], environment: [:], stdout: .null, stderr: .null)
        }
        let inherited = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").sorted()
        kill(pid, SIGKILL)
        #expect(ChildSpawn.waitForExit(pid) == .signaled(SIGKILL))
        #expect(inherited == ["0", "1", "2"], "the child inherited \(inherited.count) descriptors")
    }

    /// A thread that blocks and ignores signals (as the test runner's do) starts a child
    /// that blocks and ignores none: a server under test must see SIGTERM.
    @Test func aChildStartsWithNoSignalBlockedOrIgnored() throws {
        let status = try withSignalsBlockedAndIgnored {
            let pid = try ChildSpawn.start("/bin/sleep", ["30"], environment: [:], stdout: .null, stderr: .null)
            defer {
                kill(pid, SIGKILL)
                _ = ChildSpawn.waitForExit(pid)
            }
            return try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        }
        let fields = Dictionary(status.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: ":", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces)) : nil
        }, uniquingKeysWith: { a, _ in a })
        #expect(fields["SigBlk"] == "0000000000000000", "\(status)")
        // Signals 32 and 33 are glibc's own (thread cancellation, setxid), outside any sigset.
        let ignored = UInt64(fields["SigIgn"] ?? "", radix: 16)
        #expect(ignored.map { $0 & 0x7fff_ffff } == 0, "\(status)")
    }

    /// Runs `body` on a fresh thread that blocks every signal, with SIGHUP ignored meanwhile.
    func withSignalsBlockedAndIgnored<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var all = sigset_t()
            sigfillset(&all)
            pthread_sigmask(SIG_BLOCK, &all, nil)
            let previous = signal(SIGHUP, SIG_IGN)
            box.set(Result { try body() })
            signal(SIGHUP, previous)
            done.signal()
        }
        thread.start()
        done.wait()
        return try box.get()
    }

    @Test func streamsExitCodesAndDirectory() throws {
        let input = dir.file("in.txt"), output = dir.file("out.txt")
        try "line one\nline two\n".write(toFile: input, atomically: true, encoding: .utf8)
        let pid = try ChildSpawn.start("/bin/cat", [], environment: [:], stdin: .file(input), stdout: .file(output), stderr: .null)
        #expect(ChildSpawn.waitForExit(pid) == .exited(0))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "line one\nline two\n")

        let pipe = Pipe()
        let shell = try ChildSpawn.start("/bin/sh", ["-c", "pwd; echo \"$GREETING\"; exit 3"], environment: ["GREETING": "hello"],
                                         stdout: .descriptor(pipe.fileHandleForWriting.fileDescriptor), stderr: .null,
                                         currentDirectory: dir.path)
        try pipe.fileHandleForWriting.close()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(ChildSpawn.waitForExit(shell) == .exited(3))
        #expect(printed == dir.path + "\nhello\n")
        #expect(ChildExit.exited(3).code == 3 && ChildExit.signaled(SIGKILL).code == 137)
    }

    @Test func aProgramThatCannotStartIsNamed() {
        #expect {
            try ChildSpawn.start(dir.file("no-such-program"), [], environment: [:], stdout: .null, stderr: .null)
        } throws: { error in
            "\(error)".contains("no-such-program") && "\(error)".contains("No such file")
        }
    }
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?
    func set(_ r: Result<T, any Error>) { lock.withLock { result = r } }
    func get() throws -> T { try lock.withLock { result! }.get() }
}
