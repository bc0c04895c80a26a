import AuditCore
import Foundation

/// The time an appended entry gets (DESIGN: times never go backwards in the record).
///
/// - Host clock at or after the newest entry's time: the host time.
/// - Behind it by at most the tolerance (clock jitter, an NTP step): the newest entry's time.
/// - Behind it by more: refused (`LedgerError.clockBehind`). Either this host's clock is
///   wrong, or the newest entry was written by a host whose clock was ahead; clamping would
///   freeze every later entry at that future time and make their signatures' times look
///   wrong. The operator fixes the clock, or an admin records `clock.corrected`.
/// - A `clock.corrected` entry always gets the host time, even far behind: it is the one
///   entry allowed to step time back, and its time is the floor for the entries after it.
enum EntryClock {
    static func time(isCorrection: Bool, now: Date, tail: ChainTail,
                     tolerance: Double) throws(LedgerError) -> (text: String, millis: Int64) {
        let nowMillis = EntryTime.millis(now)
        guard let last = tail.lastMillis, nowMillis < last, !isCorrection else {
            return (UTCTime.format(now), nowMillis)
        }
        guard Double(last - nowMillis) <= tolerance * 1000 else {
            throw .clockBehind(hostTime: UTCTime.format(now), ledgerTime: tail.lastTime, seq: tail.size - 1,
                               toleranceSeconds: tolerance)
        }
        return (tail.lastTime, last)
    }
}
