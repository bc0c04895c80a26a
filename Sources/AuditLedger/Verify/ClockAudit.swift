import AuditCore

/// Finds entries whose time cannot be right: dated after a later entry, or after the
/// verifier's own clock, by more than the tolerance. The writer never steps time back except
/// for a `clock.corrected` entry and refuses to append behind the newest entry by more than
/// the tolerance, so such an entry was written while its host's clock was ahead. The finding
/// names that entry and only it: the entries after it are not blamed.
///
/// A correction `{"seq": N}` at seq C accounts for suspicious entries N..C-1: they are
/// reported as notices (the record says what happened), everything else as problems.
enum ClockAudit {
    struct Correction {
        let at: Int
        let from: Int
    }

    static let maxRuns = 50

    static func findings(times: [Int64], corrections: [Correction], tolerance: Double,
                         now: Int64) -> (problems: [LedgerProblem], notices: [LedgerProblem]) {
        let tol = Int64(tolerance * 1000)
        // Walk back keeping the earliest later time: an entry is suspicious if something
        // after it is earlier by more than the tolerance.
        var flagged: [(seq: Int, time: Int64, laterSeq: Int?, laterTime: Int64)] = []
        var minTime = Int64.max, minSeq = -1
        for seq in stride(from: times.count - 1, through: 0, by: -1) {
            let t = times[seq]
            guard t != .min else { continue } // malformed time, reported by the scan
            if minSeq >= 0, t > minTime + tol {
                flagged.append((seq, t, minSeq, minTime))
            } else if t > now + tol {
                flagged.append((seq, t, nil, now))
            }
            if t < minTime { (minTime, minSeq) = (t, seq) }
        }
        flagged.reverse()

        func correction(covering seq: Int) -> Correction? {
            corrections.first { $0.from <= seq && seq < $0.at }
        }
        var problems: [LedgerProblem] = [], notices: [LedgerProblem] = []
        var i = 0
        while i < flagged.count, problems.count + notices.count < maxRuns {
            // One finding per run of consecutive flagged entries with the same coverage.
            let first = flagged[i]
            let covering = correction(covering: first.seq)
            var last = first
            while i + 1 < flagged.count, flagged[i + 1].seq == last.seq + 1,
                  correction(covering: flagged[i + 1].seq)?.at == covering?.at {
                i += 1
                last = flagged[i]
            }
            i += 1
            let which = first.seq == last.seq ? "entry is" : "entries \(first.seq)..\(last.seq) are"
            let against = first.laterSeq.map { "later entry \($0) (\(EntryTime.format(millis: first.laterTime)))" }
                ?? "this verifier's clock (\(EntryTime.format(millis: first.laterTime)))"
            let ahead = Self.duration(first.time - first.laterTime)
            let cause = first.laterSeq == nil
                ? "written while the host clock was ahead, or this verifier's clock is behind"
                : "written while the host clock was ahead"
            var message = "\(which) dated \(EntryTime.format(millis: first.time)), \(ahead) after \(against), beyond the \(Int(tolerance)) s clock tolerance: \(cause)"
            if let covering {
                message += "; accounted for by the clock correction at seq \(covering.at)"
                notices.append(LedgerProblem(.suspiciousTime, seq: first.seq, message))
            } else {
                message += " (an admin records `clock.corrected` naming seq \(first.seq) once the clock is fixed)"
                problems.append(LedgerProblem(.suspiciousTime, seq: first.seq, message))
            }
        }
        return (problems, notices)
    }

    static func duration(_ millis: Int64) -> String {
        let s = millis / 1000
        if s >= 86_400 { return "\(s / 86_400) d \(s % 86_400 / 3600) h" }
        if s >= 3600 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        return "\(s) s"
    }
}
