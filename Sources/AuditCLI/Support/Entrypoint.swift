import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

extension AuditCommand {
    /// Runs the command tree, printing failures as `error:` + `hint:` lines on stderr
    /// and exiting with the documented code; ArgumentParser handles help and usage.
    public static func runMain(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Glibc.exit(0)
        } catch let failure as CLIFailure {
            printError(failure.message, hint: failure.hint)
            Glibc.exit(failure.code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code == .validationFailure || error is CleanExit {
                AuditCommand.exit(withError: error)
            }
            printError(String(describing: error), hint: "run with --help for usage")
            Glibc.exit(AuditExitCode.verificationFailed.rawValue)
        }
    }

    static func printError(_ message: String, hint: String) {
        var stderr = StandardError()
        print("error: \(message)", to: &stderr)
        print("hint: \(hint)", to: &stderr)
    }
}

/// stderr as a TextOutputStream, so nothing but results ever reaches stdout.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
