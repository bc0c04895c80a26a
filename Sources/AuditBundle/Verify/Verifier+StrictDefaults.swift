/// Strict by default: a verification that was not given the edge's state or its zone must
/// not end in "may load" just because those checks had nothing to work with. Without state,
/// an older approved model (a rollback) or a checkpoint from a forked log passes; without a
/// zone, a model approved for the test bench loads on the safety line. The caller has to
/// say so explicitly (`VerifyOptions.skipStateChecks` / `anyZone`, the CLI's `--no-state` /
/// `--any-zone`), and then the result says what was not checked.
extension Verifier {
    /// Turns "skipped for lack of input" into a failure unless the caller waived it; a check
    /// that already failed for another reason keeps its own failure.
    func applyStrictDefaults(_ options: VerifyOptions, report: inout Report) {
        if options.state == nil {
            for id in [CheckID.checkpointConsistency, .rollback] where report.status(id) != .failed {
                if options.skipStateChecks {
                    report.waived.append(id)
                    report.set(id, .skipped, "not checked: --no-state given, so this edge keeps no checkpoint or version history")
                } else {
                    report.set(id, .failed, "not checked: no edge state (--state DIR); a rollback to an older approved model "
                        + "would pass unseen. Pass --state, or --no-state to skip this check knowingly")
                }
            }
        }
        if options.zone == nil && report.status(.zone) != .failed {
            if options.anyZone {
                report.waived.append(.zone)
                report.set(.zone, .skipped, "not checked: --any-zone given, so the model was not matched to the zone it will run in")
            } else {
                report.set(.zone, .failed, "not checked: no target zone (--zone Z); a model approved for another zone "
                    + "would pass. Pass --zone, or --any-zone to skip this check knowingly")
            }
        }
    }
}
