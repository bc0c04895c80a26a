// Regulator export of 100,000 and 1,000,000 entries: time and peak RSS, against writing
// the same entry bytes to a plain ZIP with the same library (ZIPFoundation, deflate) in the
// same run. Goal: ≤ 3 × the baseline's time, peak RSS ≤ 200 MiB at 1 M entries.
// Each measured step runs in a child process so its peak RSS is its own.
//
//   ExportBench [--quick]          100k (and 1M unless --quick), prints a table
//   ExportBench build DIR N        (child) a ledger with founders, an auditor and N notes
//   ExportBench export DIR         (child) ExportWriter.write; prints seconds and peak KiB
//   ExportBench baseline DIR       (child) entries → plain ZIP; prints seconds and peak KiB
import AuditCore
import AuditCrypto
import AuditExport
import AuditLedger
import AuditRecords
import Foundation
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#endif

/// When each export phase started (from the progress callback), for finding where time goes.
final class PhaseClock: @unchecked Sendable {
    private let lock = NSLock()
    private var marks: [(String, Date)] = []
    func mark(_ phase: String) {
        lock.lock(); defer { lock.unlock() }
        if marks.last?.0 != phase { marks.append((phase, Date())) }
    }
    var report: String {
        lock.lock(); defer { lock.unlock() }
        return zip(marks, marks.dropFirst()).map { String(format: "  %@: %.2f s\n", $0.0.0, $0.1.1.timeIntervalSince($0.0.1)) }.joined()
    }
}

func peakRSSKiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
}

func founders() -> [Genesis.Founder] {
    [Genesis.Founder(id: "ada", printedName: "Ada Admin", password: "ada-password-1"),
     Genesis.Founder(id: "bob", printedName: "Bob Admin", password: "bob-password-1")]
}

func build(_ dir: String, _ n: Int) async throws {
    let home = LedgerHome(directory: dir + "/data")
    let store = try await Genesis.create(home: home, origin: "bench.example/ledger", protection: .plainKeyFile(path: dir + "/log.key"),
                                         founders: founders(), configuration: .testing, synchronous: .normal)
    let service = RecordsService(store: store, directory: home.directory, configuration: .testing)
    let ada = Credentials(userID: "ada", password: "ada-password-1")
    try await service.addUser(NewUser(id: "ivy", printedName: "Ivy Inspector", roles: ["auditor"], initialPassword: "one-time-ivy-pw"),
                              reason: "bench", knownRoles: [], by: ada)
    try await service.rotateKey(Credentials(userID: "ivy", password: "one-time-ivy-pw"), newPassword: "ivy-password-1", reason: "bench")
    try await service.confirmIdentity(of: "ivy", evidence: "bench", by: Credentials(userID: "bob", password: "bob-password-1"))
    var i = 0
    while i < n {
        let batch = (i..<min(n, i + Limits.maxGroupCommitEntries)).map { k in
            EntryDraft(kind: EntryKind.noteAdded, actor: k % 2 == 0 ? "alice" : "quinn", subject: "line-\(k % 7)",
                       payload: ["text": .string("shift note \(k): inspection of cell \(k % 13) done, \"ok\""),
                                 "ticket": .string("OT-\(100_000 + k)"), "n": .number(Double(k))])
        }
        _ = try store.appendSynchronously(batch)
        i += batch.count
    }
}

func export(_ dir: String) async throws {
    let home = LedgerHome(directory: dir + "/data")
    let keyText = try String(contentsOfFile: dir + "/log.key", encoding: .utf8)
    let store = try home.open(keySource: .signerKey(keyText))
    let signer = try home.unlock(.signerKey(keyText), origin: store.origin, expected: store.verifierKey)
    let service = RecordsService(store: store, directory: home.directory, configuration: .testing)
    let authorization = try await service.authorizeExport(Credentials(userID: "ivy", password: "ivy-password-1"))
    let out = dir + "/export-\(UUID().uuidString.prefix(6)).zip"
    let start = Date()
    let phases = PhaseClock()
    let result = try await ExportWriter.write(service: service, authorization: authorization,
                                              request: ExportRequest(site: "bench"), logSigner: signer, to: out,
                                              progress: { phase, _, _ in phases.mark(phase) })
    phases.mark("done")
    if ProcessInfo.processInfo.environment["EXPORT_BENCH_PHASES"] != nil { FileHandle.standardError.write(Data(phases.report.utf8)) }
    let seconds = Date().timeIntervalSince(start)
    print("\(seconds) \(peakRSSKiB()) \(result.zipSize) \(result.manifest.entryCount)")
    try? FileManager.default.removeItem(atPath: out)
}

/// The same entry bytes (canonical, one per line) into a ZIP with ZIPFoundation's deflate.
func baseline(_ dir: String) throws {
    let store = try LedgerStore.open(at: dir + "/data/ledger.sqlite")
    let start = Date()
    let staged = dir + "/entries.jsonl"
    let zipPath = dir + "/baseline.zip"
    try? FileManager.default.removeItem(atPath: staged)
    try? FileManager.default.removeItem(atPath: zipPath)
    guard let file = fopen(staged, "wb") else { throw CocoaError(.fileWriteUnknown) }
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 21)
    try store.forEachRow(fromSeq: 0, toSeq: try store.size() - 1) { row in
        buffer += row.leafInput().dropFirst()
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 {
            _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            buffer.removeAll(keepingCapacity: true)
        }
    }
    _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    let archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .create)
    try archive.addEntry(with: "entries.jsonl", relativeTo: URL(fileURLWithPath: dir), compressionMethod: .deflate, bufferSize: 1 << 20)
    let seconds = Date().timeIntervalSince(start)
    let size = ((try? FileManager.default.attributesOfItem(atPath: zipPath))?[.size] as? Int) ?? 0
    print("\(seconds) \(peakRSSKiB()) \(size) 0")
    try? FileManager.default.removeItem(atPath: staged)
    try? FileManager.default.removeItem(atPath: zipPath)
}

func child(_ args: [String]) throws -> [Double] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    p.arguments = args
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { fatalError("child \(args) failed with \(p.terminationStatus)") }
    return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "build": try await build(args[1], Int(args[2])!)
case "export": try await export(args[1])
case "baseline": try baseline(args[1])
default:
    let sizes = args.contains("--quick") ? [100_000] : [100_000, 1_000_000]
    print("ExportBench — regulator export vs. the same entry bytes in a plain ZIP (ZIPFoundation deflate), same run")
    print("entries     export s   baseline s   ratio   export peak RSS   baseline peak RSS   ZIP size")
    for n in sizes {
        let dir = FileManager.default.temporaryDirectory.path + "/export-bench-\(n)-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try child(["build", dir, String(n)])
        let b = try child(["baseline", dir])
        let e = try child(["export", dir])
        print(String(format: "%9d   %8.2f   %10.2f   %5.2f×   %11.1f MiB   %13.1f MiB   %6.1f MB",
                     n, e[0], b[0], e[0] / b[0], e[1] / 1024, b[1] / 1024, e[2] / 1e6))
    }
}
