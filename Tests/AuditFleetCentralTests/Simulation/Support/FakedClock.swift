import Foundation

/// Environment that runs a child process with its wall clock moved by libfaketime (Debian's
/// `faketime` package), as a host whose clock is off or a process started a week later.
/// Monotonic clocks stay real so the process's timers and timeouts keep working.
enum FakedClock {
    static func environment(offset: String) throws -> [String: String] {
        let candidates = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"]
            .map { "\($0)/faketime/libfaketimeMT.so.1" }
        guard let library = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ServeFailure("libfaketime not found (looked for \(candidates)): `make deps` installs the Debian package faketime")
        }
        return ["LD_PRELOAD": library, "FAKETIME": offset, "FAKETIME_DONT_FAKE_MONOTONIC": "1", "FAKETIME_NO_CACHE": "1"]
    }
}

/// `executable` with `arguments`, started through /bin/sh when `environment` preloads a
/// library. libfaketime's constructor calls setenv (FAKETIME_SHARED) in the first program it
/// loads into; in a Swift program that moves `environ` before the runtime finds argv from it,
/// and `auditctl` starts with no arguments (it prints its overview and exits 0). A shell that
/// loads it first sets the variable; the `exec`ed auditctl then inherits it untouched.
func preloadSafeCommand(_ executable: String, _ arguments: [String], environment: [String: String]) -> (String, [String]) {
    environment["LD_PRELOAD"] == nil ? (executable, arguments) : ("/bin/sh", ["-c", #"exec "$@""#, "sh", executable] + arguments)
}

