// Test helper for the crash and multi-process tests. Not shipped as a product.
//
//   LedgerStressAppender DATA_DIR WRITERS PER_WRITER
//     appends from WRITERS concurrent tasks of one process (the crash test SIGKILLs it).
//   LedgerStressAppender --reopen DATA_DIR COUNT
//     appends COUNT entries one at a time, opening the ledger afresh for each, as a
//     separate `auditctl append` invocation would (probe, readers, writer connection);
//     a failed append is reported and the next one tried.
//
// Prints one "ack <seq> <hash>" line per append the ledger acknowledged and one
// "error <message>" line per failure, written unbuffered so that a SIGKILL loses no
// acknowledged line; the log key comes from $AUDITCTL_LOG_KEY.
import AuditCore
import AuditLedger
import Foundation

func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}

let args = CommandLine.arguments
let key = ProcessInfo.processInfo.environment["AUDITCTL_LOG_KEY"] ?? ""

if args.count == 4, args[1] == "--reopen", let count = Int(args[3]) {
    let home = LedgerHome(directory: args[2])
    say("ready")
    for i in 0..<count {
        do {
            let store = try home.open(keySource: .signerKey(key))
            let draft = EntryDraft(kind: EntryKind.noteAdded, actor: "process-\(getpid())", subject: "stress",
                                   payload: .object(["i": .number(Double(i))]))
            let e = try store.appendSynchronously([draft])[0]
            say("ack \(e.seq) \(try store.leafHash(seq: e.seq).hex)")
        } catch {
            say("error \(error)")
        }
    }
    say("done")
    exit(0)
}

guard args.count == 4, let writers = Int(args[2]), let perWriter = Int(args[3]) else {
    FileHandle.standardError.write(Data("usage: LedgerStressAppender DATA_DIR WRITERS PER_WRITER | --reopen DATA_DIR COUNT (log key in $AUDITCTL_LOG_KEY)\n".utf8))
    exit(64)
}
let home = LedgerHome(directory: args[1])
let store = try home.open(keySource: .signerKey(key))

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
