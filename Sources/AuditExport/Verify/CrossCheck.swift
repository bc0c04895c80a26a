import AuditCore

/// Compares audit-trail.csv and the report's entries table with what entries.jsonl says,
/// row by row as the entries stream: same entries in the same order, same seq, time, kind,
/// actor, subject, summary (signer, meaning, verdict), old and new value and hash.
final class CrossCheck {
    private let run: VerificationRun
    private var csv: CSVReader?
    private var report: ReportReader?
    private var csvRecord = 1
    private var csvBroken = false
    private var rows = 0

    init(run: VerificationRun) {
        self.run = run
        if run.files[ExportLayout.csv] != nil, let lines = try? LineReader(path: run.path(ExportLayout.csv)) {
            var reader = CSVReader(lines)
            do {
                let header = try reader.next()
                if header != CSVTrail.header {
                    run.problem(ExportLayout.csv, line: 1, "header is not \(CSVTrail.header.joined(separator: ","))")
                }
            } catch {
                run.problem(ExportLayout.csv, "\(error)")
                csvBroken = true
            }
            csv = reader
        }
        if run.files[ExportLayout.report] != nil, let lines = try? LineReader(path: run.path(ExportLayout.report), maxLine: 16 << 20) {
            let reader = ReportReader(lines)
            do {
                try reader.readHead()
                if !reader.foundTable { run.problem(ExportLayout.report, "has no entries table") }
                report = reader
            } catch {
                run.problem(ExportLayout.report, "\(error)")
            }
        }
    }

    /// The report reader after the table, for the signature and cover checks.
    var reportReader: ReportReader? { report }

    /// The JSONL line could not be read: move the CSV and report on by one row.
    func skip() {
        rows += 1
        if !csvBroken { _ = try? csv?.next() }
        _ = try? report?.nextRow()
    }

    func compare(_ expected: TrailLine, line: Int) {
        rows += 1
        let cells = expected.cells
        if !csvBroken, csv != nil {
            do {
                if let record = try csv!.next() {
                    csvRecord += 1
                    if record.count != cells.count {
                        run.problem(ExportLayout.csv, line: csv!.lineNumber, seq: expected.seq, "has \(record.count) columns, not \(cells.count)")
                    } else if let i = (0..<cells.count).first(where: { record[$0] != CSVTrail.displayed(cells[$0]) }) {
                        run.problem(ExportLayout.csv, line: csv!.lineNumber, seq: expected.seq,
                                    "column \(CSVTrail.header[i]) says \"\(record[i])\" but entries.jsonl line \(line) gives \"\(CSVTrail.displayed(cells[i]))\"")
                    }
                } else {
                    run.problem(ExportLayout.csv, seq: expected.seq, "has no row for entries.jsonl line \(line): the CSV is missing an entry")
                    csvBroken = true
                }
            } catch {
                run.problem(ExportLayout.csv, seq: expected.seq, "\(error)")
                csvBroken = true
            }
        }
        guard let report else { return }
        do {
            guard let row = try report.nextRow() else {
                run.problem(ExportLayout.report, seq: expected.seq, "the entries table has no row for entries.jsonl line \(line): the report is missing an entry")
                self.report = nil
                return
            }
            let want: [(String, String)] = [("seq", String(expected.seq)), ("time", expected.time), ("kind", expected.kind),
                                            ("actor", expected.actor), ("subject", expected.subject), ("summary", expected.summary),
                                            ("old", expected.oldValue), ("new", expected.newValue)]
            if let bad = want.first(where: { row.cells[$0.0] != $0.1 }) {
                run.problem(ExportLayout.report, line: report.lineNumber, seq: expected.seq,
                            "entries table column '\(bad.0)' says \"\(row.cells[bad.0] ?? "(none)")\" but entries.jsonl line \(line) gives \"\(bad.1)\"")
            } else if row.hash != expected.hash.prefixed {
                run.problem(ExportLayout.report, line: report.lineNumber, seq: expected.seq, "entries table gives hash \(row.hash), entries.jsonl line \(line) hashes to \(expected.hash.prefixed)")
            }
        } catch {
            run.problem(ExportLayout.report, "\(error)")
            self.report = nil
        }
    }

    /// After the last JSONL line: neither the CSV nor the report may hold more rows.
    func finish() {
        if !csvBroken, csv != nil, let extra = try? csv!.next() {
            run.problem(ExportLayout.csv, line: csv!.lineNumber, seq: Int(extra.first ?? ""), "has a row entries.jsonl does not: an entry was added to the CSV")
        }
        if let report, let extra = try? report.nextRow() {
            run.problem(ExportLayout.report, line: report.lineNumber, seq: Int(extra.cells["seq"] ?? ""), "the entries table has a row entries.jsonl does not")
        }
        run.reportHead = report
        if run.result.problems.allSatisfy({ $0.file != ExportLayout.csv && $0.file != ExportLayout.report }) {
            run.result.checked.append("audit-trail.csv and report.html list the same \(rows) entries as entries.jsonl, field by field (seq, time, kind, actor, subject, summary, old/new value, hash)")
        }
    }
}
