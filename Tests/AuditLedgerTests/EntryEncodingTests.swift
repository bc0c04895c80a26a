import AuditCore
import AuditCrypto
import AuditLedger
import AuditTesting
import Foundation
import Testing

@Suite struct EntryEncodingTests {
    /// The writer's and verifier's template must equal RFC 8785 of the entry object exactly.
    @Test func templateEqualsCanonicalJSON() throws {
        var rng = SystemRandomNumberGenerator()
        let odd = ["", "plain", "quote\"back\\slash", "tab\tnl\ncr\r", "ctl\u{1}\u{1f}", "naïve", "emoji 🏭", "\u{7f}del", "/slash"]
        for i in 0..<300 {
            let payload = JSONValue.object(["k": .string(odd.randomElement(using: &rng)!), "n": .number(Double(i) * 1.5),
                                            "nested": .object(["z": .array([.null, .bool(true)]), "a": .number(1e21)])])
            let e = Entry(seq: Int.random(in: 0..<Int(1) << 40, using: &rng), time: UTCTime.now(),
                          kind: odd.randomElement(using: &rng)!, actor: odd.randomElement(using: &rng)!,
                          subject: odd.randomElement(using: &rng)!, payload: payload,
                          prev: SHA256.hash("\(i)"))
            let template = EntryEncoding.leafInput(seq: e.seq, time: e.time, kind: e.kind, actor: e.actor, subject: e.subject,
                                                   canonicalPayload: payload.canonicalString(), prev: e.prev)
            #expect(template == [0x00] + e.canonicalBytes, "entry \(i)")
        }
    }

    @Test func utcFormatting() {
        #expect(UTCTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(UTCTime.format(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
        #expect(UTCTime.format(Date(timeIntervalSince1970: 1_798_761_599.999)) == "2026-12-31T23:59:59.999Z")
        #expect(UTCTime.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        // Agrees with Foundation's formatter over many random instants.
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for _ in 0..<2000 {
            let d = Date(timeIntervalSince1970: Double(Int64.random(in: -2_000_000_000_000...4_000_000_000_000)) / 1000)
            #expect(UTCTime.format(d) == f.string(from: d))
        }
    }
}
