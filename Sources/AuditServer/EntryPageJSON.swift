import AuditLedger

/// The body of `GET /api/v1/entries`: `{"entries":[…],"next":…,"size":…}`, canonical like
/// every JSON reply (`Reply.json`): keys in RFC 8785 order, integers in plain decimal, and
/// each entry's canonical text as the ledger built it (`LedgerStore.canonicalEntries`), so
/// the bytes equal encoding the page's `Entry.jsonValue`s, without building them.
enum EntryPageJSON {
    /// `page` holds up to `limit + 1` entries; the extra one only says where `next` starts.
    static func body(_ page: CanonicalEntryPage, limit: Int) -> [UInt8] {
        let shown = page.entries.prefix(limit)
        let next = page.entries.count > limit ? page.entries[limit].seq : nil
        var out: [UInt8] = []
        out.reserveCapacity(shown.reduce(64) { $0 + $1.json.count + 1 })
        out.append(contentsOf: #"{"entries":["#.utf8)
        for (i, entry) in shown.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: entry.json)
        }
        out.append(contentsOf: #"],"next":"#.utf8)
        out.append(contentsOf: (next.map(String.init) ?? "null").utf8)
        out.append(contentsOf: #","size":"#.utf8)
        out.append(contentsOf: String(page.size).utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
