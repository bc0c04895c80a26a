import AuditCore
import AuditLedger
import AuditRecords
import Foundation

/// Turns a request into one contiguous run of seqs below the checkpoint's size.
enum ExportPeriod {
    static func resolve(_ request: ExportRequest, store: LedgerStore, treeSize: Int,
                        records: RecordsState) throws(ExportError) -> ClosedRange<Int> {
        if let from = request.from, let to = request.to, from > to {
            throw .invalidRequest(field: "from", reason: "\(UTCTime.format(from)) is after --to \(UTCTime.format(to))")
        }
        let selected = records.changesInOrder.filter(request.selection.includes)
        if !request.selection.isEmpty && selected.isEmpty {
            throw .invalidRequest(field: request.selection.changeID != nil ? "change" : "model",
                                  reason: "no change in the ledger matches \(request.selection.text)")
        }
        var since = request.from.map(UTCTime.format)
        var until = request.to.map(UTCTime.format)
        if !request.selection.isEmpty, request.from == nil || request.to == nil {
            // The span of the selected changes' own entries, where the dates leave it open.
            var seqs: [Int] = []
            for c in selected {
                seqs += c.versions.map(\.seq) + c.signatures.map(\.seq) + c.decisions.map(\.seq)
                seqs += records.deployments.filter { $0.record["subject"]?.stringValue == c.id }.map(\.seq)
            }
            if let first = seqs.min(), let last = seqs.max() {
                if since == nil { since = try time(of: first, store) }
                if until == nil { until = try time(of: last, store) }
            }
        }
        let range: ClosedRange<Int>?
        do { range = try store.seqRange(since: since, until: until, size: treeSize) } catch { throw .ledger(error) }
        guard let range else {
            throw .invalidRequest(field: "period", reason: "no entry between \(since ?? "the start") and \(until ?? "the end") (the checkpoint covers \(treeSize) entries)")
        }
        return range
    }

    private static func time(of seq: Int, _ store: LedgerStore) throws(ExportError) -> String {
        do { return try store.entry(seq: seq).time } catch { throw .ledger(error) }
    }
}

/// Dates as people type them for an export period.
public enum ExportDates {
    /// `YYYY-MM-DD` (a whole UTC day: its start for --from, its end for --to) or RFC 3339.
    public static func parse(_ text: String, endOfDay: Bool) -> Date? {
        if let full = UTCTime.parse(text) { return full }
        let parts = text.split(separator: "-")
        guard parts.count == 3, text.count == 10, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let start = calendar.date(from: DateComponents(year: y, month: m, day: d)),
              calendar.component(.day, from: start) == d else { return nil }
        return endOfDay ? start.addingTimeInterval(86_400 - 0.001) : start
    }
}
