import AuditTesting
import Foundation
import Testing

/// `init --key-out FILE` writes the log key unsealed to a path the operator chose (a token
/// mount): it must never replace a file already there, e.g. another ledger's key. The
/// founding admins are the shared cast's (`TestRecordsHome`).
@Suite struct InitKeyOutTests {
    @Test func existingKeyFileIsRefusedAndNothingIsCreated() throws {
        let h = try TestRecordsHome()
        let key = h.dir.file("log.key")
        try "PRIVATE+KEY+another-ledger's key\n".write(toFile: key, atomically: true, encoding: .utf8)
        let data = h.data
        let r = try h.run(h.initArguments(origin: "plant-a.example/auditctl") + ["--key-out", key])
        #expect(r.status == 9, "\(r)")
        #expect(r.stderr.contains("error: the key file \(key) already exists"), "\(r.stderr)")
        #expect(r.stderr.contains("hint:") && r.stdout.isEmpty)
        #expect(try String(contentsOfFile: key, encoding: .utf8) == "PRIVATE+KEY+another-ledger's key\n", "the key file was changed")
        #expect(!FileManager.default.fileExists(atPath: data), "the data directory was created")
    }

    @Test func danglingSymlinkAtTheKeyPathIsRefused() throws {
        let h = try TestRecordsHome()
        let key = h.dir.file("log.key")
        try FileManager.default.createSymbolicLink(atPath: key, withDestinationPath: h.dir.file("elsewhere"))
        let r = try h.run(h.initArguments(origin: "plant-a.example/auditctl") + ["--key-out", key])
        #expect(r.status == 9, "\(r)")
        #expect(!FileManager.default.fileExists(atPath: h.dir.file("elsewhere")), "the symlink was followed")
    }

    @Test func newKeyFileIsWrittenWithMode0600() throws {
        let h = try TestRecordsHome()
        let key = h.dir.file("log.key")
        let r = try h.run(h.initArguments(origin: "plant-a.example/auditctl") + ["--key-out", key])
        #expect(r.status == 0, "\(r)")
        #expect(try String(contentsOfFile: key, encoding: .utf8).hasPrefix("PRIVATE+KEY+"))
        #expect((try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int) == 0o600)
    }
}
