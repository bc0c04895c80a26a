// Test helper for the crash test: appends from several concurrent writers and prints one
// "ack <seq> <hash>" line per append the ledger acknowledged, written unbuffered so that a
// SIGKILL loses no acknowledged line. Not shipped as a product.
import AuditCore
import AuditLedger
import Foundation

let args = CommandLine.arguments
guard args.count == 4, let writers = Int(args[2]), let perWriter = Int(args[3]) else {
    FileHandle.standardError.write(Data("usage: LedgerStressAppender DATA_DIR WRITERS PER_WRITER (log key in $AUDITCTL_LOG_KEY)\n".utf8))
    exit(64)
}
let home = LedgerHome(directory: args[1])
let store = try home.open(keySource: .signerKey(ProcessInfo.processInfo.environment["AUDITCTL_LOG_KEY"] ?? ""))

func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}

say("ready")
await withTaskGroup(of: Void.self) { group in
    for w in 0..<writers {
        group.addTask {
            for i in 0..<perWriter {
                let draft = EntryDraft(kind: EntryKind.noteAdded, actor: "writer-\(w)", subject: "crash",
                                       payload: .object(["i": .number(Double(i)), "w": .number(Double(w))]))
                do {
                    let e = try await store.append(draft)
                    let h = try store.leafHash(seq: e.seq)
                    say("ack \(e.seq) \(h.hex)")
                } catch {
                    say("error \(error)")
                    return
                }
            }
        }
    }
}
say("done")
