import AuditCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Prompts on the controlling terminal, never on stdout (which carries results only).
enum Terminal {
    static var stdinIsTerminal: Bool { isatty(0) == 1 }

    /// Reads a line with echo on, e.g. a user ID.
    static func prompt(_ label: String) -> String? {
        writeStderr(label)
        return readLine(strippingNewline: true)
    }

    /// Reads a secret with echo off, restoring the terminal even if reading fails.
    static func promptSecret(_ label: String) -> String? {
        writeStderr(label)
        var saved = termios()
        let isTTY = tcgetattr(0, &saved) == 0
        if isTTY {
            var noEcho = saved
            noEcho.c_lflag &= ~tcflag_t(ECHO)
            noEcho.c_lflag |= tcflag_t(ECHONL)
            tcsetattr(0, TCSAFLUSH, &noEcho)
        }
        defer { if isTTY { tcsetattr(0, TCSAFLUSH, &saved) } }
        return readLine(strippingNewline: true)
    }

    static func writeStderr(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

/// Secrets given as files (for automation) are read whole, minus one trailing newline;
/// regular files only and at most `Limits.maxSecretFileBytes` (see `InputFile`).
enum SecretFile {
    static func read(_ path: String, what: String) throws -> String {
        let data = try InputFile.read(path, limit: Limits.maxSecretFileBytes, what: "\(what) file")
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}
