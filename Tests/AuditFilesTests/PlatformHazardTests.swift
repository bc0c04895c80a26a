import Foundation
import Testing

/// Foundation APIs that crashed this project's processes on Linux (Swift 6.3.1), kept out of
/// `Sources/` and `Tests/` by a scan, with what to use instead. Each one crashed a CI run or a
/// rehearsal of one before it was removed (session 6 note).
@Suite struct PlatformHazardTests {
    struct Hazard: Sendable, CustomStringConvertible {
        let pattern: String
        let why: String
        let instead: String
        var description: String { pattern }
    }

    static let hazards = [
        Hazard(pattern: #"(^|[^A-Za-z])Process\(\)"#,
               why: "Process.run() reads past glibc's readdir buffer once ~1,350 descriptors are open (SIGSEGV in memmove)",
               instead: "ChildSpawn, SpawnedProcess or CommandRunner"),
        Hazard(pattern: #"URLSession"#,
               why: "libcurl sockets under libdispatch sources crash _dispatch_event_loop_drain when a connection breaks",
               instead: "AsyncHTTPClient (BoundedHTTPExchange)"),
        Hazard(pattern: #"readabilityHandler"#,
               why: "a dispatch source on a descriptor closed and reused crashes libdispatch's event loop",
               instead: "PipeCollector (a read(2) thread)"),
        Hazard(pattern: #"\.availableData"#,
               why: "FileHandle.availableData turns EINTR into a fatal error",
               instead: "read(2) with an EINTR retry, or PipeCollector"),
    ]

    @Test(arguments: hazards)
    func notUsedAnywhere(_ hazard: Hazard) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var offenders: [String] = []
        for top in ["Sources", "Tests"] {
            let base = root.appendingPathComponent(top).path
            let walker = try #require(FileManager.default.enumerator(atPath: base), "cannot list \(base)")
            for case let relative as String in walker where relative.hasSuffix(".swift") && !relative.hasSuffix("PlatformHazardTests.swift") {
                let text = try String(contentsOfFile: base + "/" + relative, encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = line.trimmingCharacters(in: .whitespaces)
                    guard !code.hasPrefix("//"), code.range(of: hazard.pattern, options: .regularExpression) != nil else { continue }
                    offenders.append("\(top)/\(relative):\(number + 1)")
                }
            }
        }
        #expect(offenders.isEmpty, "\(hazard.why); use \(hazard.instead) instead: \(offenders)")
    }
}
