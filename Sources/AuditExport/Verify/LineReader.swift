import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file line by line (split at LF, the LF removed), in bounded memory: one line
/// longer than `maxLine` is an error, not an allocation.
final class LineReader {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private let maxLine: Int
    /// Number of lines returned so far.
    private(set) var lineNumber = 0

    init(path: String, maxLine: Int = ExportLayout.maxLineBytes) throws(ExportError) {
        guard let f = fopen(path, "rb") else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        self.file = f
        self.maxLine = maxLine
    }

    deinit { fclose(file) }

    func next() throws(LineTooLong) -> [UInt8]? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                lineNumber += 1
                return line
            }
            if buffer.count - start > maxLine { throw LineTooLong(line: lineNumber + 1, limit: maxLine) }
            if eof {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                return line
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 18)
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n == 0 { eof = true } else { buffer += chunk[0..<n] }
        }
    }
}

struct LineTooLong: Error, CustomStringConvertible {
    let line: Int
    let limit: Int
    var description: String { "line \(line) is longer than \(limit) bytes" }
}
