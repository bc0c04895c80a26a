import AuditCore
import AuditLedger
import AuditRecords
import AuditTesting
import Foundation
import Hummingbird
import Testing

/// The server keeps what it derives from the ledger — the replayed state, the rendered
/// change list and checkpoint, tree nodes for proofs, the row guard's pass — for as long as
/// the ledger's version (SQLite's `data_version`) stays the same. These tests change the
/// file from outside the running server (the CLI appending; the sqlite3 shell or another
/// writer forging an entry) after every cache was warmed, then read again: each read must
/// show the file as it is now, and a ledger that needs attention must be refused at once.
@Suite struct FreshReadsTests {
    static let ledgerRoutes = ["/api/v1/changes", "/api/v1/entries?from=0&limit=5", "/api/v1/entries/3/proof",
                               "/api/v1/proofs/consistency?from=2", "/api/v1/checkpoint"]

    func passwordFile(_ f: ServerFixture, _ id: String) -> String {
        let path = f.directory.file("\(id).password")
        FileManager.default.createFile(atPath: path, contents: Data(ServerFixture.password(id).utf8))
        return path
    }

    func warm(_ client: LiveClient, _ login: Login) async throws {
        for route in Self.ledgerRoutes {
            for _ in 0..<2 {
                let r = try await client.call(.get, route, auth: .bearer(login))
                #expect(r.status == 200, "\(route): \(r.status) \(r.text)")
            }
        }
    }

    func int(_ value: JSONValue?) -> Int? { value?.doubleValue.map { Int($0) } }
    func digest(_ value: JSONValue?) -> Digest? { value?.stringValue.flatMap(Digest.init(prefixed:)) }

    @Test func entriesCheckpointAndProofsShowWhatTheCLIAppends() async throws {
        let f = try await ServerFixture.make()
        try await f.live { client, _ in
            let ivy = try await client.login("ivy")
            try await warm(client, ivy)
            let old = try await client.call(.get, "/api/v1/checkpoint", auth: .bearer(ivy))
            let oldSize = try #require(int(old["size"]))
            let oldRoot = try #require(digest(old["root"]))

            let appended = try await onOwnThread {
                try f.cli(["append", "--kind", EntryKind.noteAdded, "--subject", "fresh-read", "--payload", #"{"shift":"night"}"#,
                           "--user", "alice", "--password-file", passwordFile(f, "alice")])
            }
            #expect(appended.status == 0, "\(appended)")
            let size = try f.service.store.size()
            #expect(size > oldSize)

            let page = try await client.call(.get, "/api/v1/entries?from=\(size - 1)", auth: .bearer(ivy))
            #expect(int(page["size"]) == size)
            #expect(page["entries"]?[0]?["subject"]?.stringValue == "fresh-read", "\(page.text)")

            let checkpoint = try await client.call(.get, "/api/v1/checkpoint", auth: .bearer(ivy))
            #expect(int(checkpoint["size"]) == size, "the CLI signed a checkpoint after its append")
            let root = try #require(digest(checkpoint["root"]))

            let inclusion = try await client.call(.get, "/api/v1/entries/\(size - 1)/proof?size=\(size)", auth: .bearer(ivy))
            #expect(inclusion.status == 200, "\(inclusion.text)")
            let path = (inclusion["path"]?.arrayValue ?? []).compactMap { digest($0) }
            try MerkleVerifier.verifyInclusion(leafHash: try #require(digest(inclusion["leafHash"])), index: size - 1, size: size,
                                               proof: path, root: root)

            let consistency = try await client.call(.get, "/api/v1/proofs/consistency?from=\(oldSize)", auth: .bearer(ivy))
            #expect(int(consistency["toSize"]) == size)
            #expect(digest(consistency["toRoot"]) == root)
            try MerkleVerifier.verifyConsistency(oldSize: oldSize, newSize: size, oldRoot: oldRoot, newRoot: root,
                                                 proof: (consistency["path"]?.arrayValue ?? []).compactMap { digest($0) })
        }
    }

    enum Forgery: String, CaseIterable, Sendable {
        /// The sqlite3 shell rewrites quinn's enrollment to grant admin: the ledger's size
        /// and last entry stay the same, only `data_version` tells the file changed.
        case editedInPlace
        /// Another writer (its own connections, as another process has) appends a role
        /// grant nobody signed.
        case appendedUnsigned
    }

    @Test(arguments: Forgery.allCases)
    func aForgedEntryMakesEveryLedgerReadRefuseAtOnce(_ forgery: Forgery) async throws {
        let f = try await ServerFixture.make()
        try await f.live { client, _ in
            let ivy = try await client.login("ivy")
            try await warm(client, ivy)
            let size = try f.service.store.size()
            switch forgery {
            case .editedInPlace:
                let edit = try CommandRunner.sqlite(f.service.store.path, """
                    DROP TRIGGER entries_no_update;
                    UPDATE entries SET payload = replace(payload, '"qa-reviewer"', '"admin"') WHERE kind = 'user.added' AND subject = 'quinn';
                    """)
                #expect(edit.status == 0, "\(edit)")
                #expect(try f.service.store.size() == size)
            case .appendedUnsigned:
                try await f.service.store.append([EntryDraft(kind: EntryKind.roleGranted, actor: "nobody", subject: "alice",
                                                             payload: ForgedPayload.role("admin"))])
            }
            #expect(throws: RecordsError.self, "a fresh replay finds the forgery") { _ = try f.service.state() }

            for route in Self.ledgerRoutes {
                let r = try await client.call(.get, route, auth: .bearer(ivy))
                #expect(r.status == 503, "\(route): \(r.status) \(r.text)")
                #expect(r["error"]?["code"]?.stringValue == "needs_attention", "\(route): \(r.text)")
            }
        }
    }

    /// The page is spliced from each row's canonical text; it must be byte for byte the
    /// canonical encoding of the decoded entries, filters and the `next` cursor included.
    @Test func entryPagesAreTheCanonicalEncodingOfTheEntries() async throws {
        let f = try await ServerFixture.make(changes: 3)
        try await f.live { client, _ in
            let ivy = try await client.login("ivy")
            let store = f.service.store
            let size = try store.size()
            for (query, filter, limit) in [("from=0&limit=500", EntryFilter(fromSeq: 0), 500), ("from=4&limit=7", EntryFilter(fromSeq: 4), 7),
                                           ("kind=\(EntryKind.changeProposed)", EntryFilter(kind: EntryKind.changeProposed, fromSeq: 0), 50),
                                           ("subject=quinn&limit=2", EntryFilter(subject: "quinn", fromSeq: 0), 2)] {
                let all = try store.entries(filter)
                let expected: JSONValue = .object([
                    "entries": .array(all.prefix(limit).map(\.jsonValue)),
                    "next": all.count > limit ? .number(Double(all[limit].seq)) : .null, "size": .number(Double(size)),
                ])
                let r = try await client.call(.get, "/api/v1/entries?\(query)", auth: .bearer(ivy))
                #expect(r.status == 200)
                #expect(r.text == expected.canonicalString(), "\(query)")
            }
        }
    }
}
