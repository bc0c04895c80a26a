import AuditTesting
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A test server must never touch a descriptor number after closing it: the number goes to
/// whatever this process opens next. ScriptedHTTPServer once shut its old listener number down
/// again when released after `stop()`, and in a CI run that number had become another test's
/// PostgreSQL connection ("the database closed the connection" in the middle of a migration).
@Suite struct ScriptedServerDescriptorTests {
    @Test func aStoppedServerLeavesItsOldDescriptorNumberAlone() throws {
        var checked = 0
        for _ in 0..<50 where checked < 3 {
            // Our socket first, so that it does not itself land on the number freed below.
            var pair: [Int32] = [-1, -1]
            try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
            var server: ScriptedHTTPServer? = try ScriptedHTTPServer { _ in .close }
            let old = try #require(server?.listenerDescriptor)
            server?.stop()
            let deadline = Date().addingTimeInterval(5)
            while server?.isListening == true && Date() < deadline { usleep(2_000) }
            try #require(server?.isListening == false, "the accept loop closes the listener after stop()")

            // Take the freed number for a socket of our own, if nobody else took it first
            // (F_DUPFD gives the lowest free number at or above `old`, atomically).
            let taken = fcntl(pair[0], F_DUPFD_CLOEXEC, old)
            defer {
                close(pair[0])
                close(pair[1])
                if taken >= 0 { close(taken) }
            }
            guard taken == old else { continue }

            server?.stop()   // a second stop, as a `defer` and the test's own call may both do
            server = nil     // and the release (deinit stops too)
            usleep(50_000)   // the accept thread lets go of the server as it ends
            var byte: UInt8 = 7
            let sent = send(taken, &byte, 1, Int32(MSG_NOSIGNAL))
            #expect(sent == 1, "descriptor \(old), now another socket, was shut down by the stopped server: \(String(cString: strerror(errno)))")
            checked += 1
        }
        // Whether the number was free to take depends on what the other tests open meanwhile.
        print("ScriptedServerDescriptorTests: checked \(checked) reuse(s) of a stopped server's descriptor number")
    }
}
