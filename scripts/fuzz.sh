#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser (Fuzz/, AuditFuzzing). Builds the harnesses with
# libFuzzer + AddressSanitizer (LeakSanitizer included), then runs each one over its seed
# corpus in Tests/Fuzz/<target>, two at a time.
#
#   scripts/fuzz.sh [SECONDS per harness, default 60] [harness names...]
#   FUZZ_RUNS=1000000 scripts/fuzz.sh 0 json    # a fixed number of executions instead of time
#   FUZZ_JOBS=1 scripts/fuzz.sh 60              # one harness at a time
#
# New inputs go to Fuzz/.build/corpus/<target> (not committed); a crash, leak or timeout
# writes Fuzz/artifacts/<target>/crash-… and fails the run. Minimize it, commit it under
# Tests/Fuzz/<target>/regressions/ (the test suite replays it) and fix the parser.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; shift || true
swift="${SWIFT:-swift}"
declare -A exe=(
  [json]=FuzzJSON [yaml-approval-policy]=FuzzApprovalPolicy [yaml-topology]=FuzzTopology
  [yaml-zone-rules]=FuzzZoneRules [signature-file]=FuzzSignatureFile [statement]=FuzzStatement
  [approval-proof]=FuzzApprovalProof [trust-root]=FuzzTrustRoot [edge-state]=FuzzEdgeState
  [signed-note]=FuzzSignedNote [checkpoint]=FuzzCheckpoint [note-keys]=FuzzNoteKeys
)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json yaml-approval-policy yaml-topology yaml-zone-rules signature-file statement
                                      approval-proof trust-root edge-state signed-note checkpoint note-keys)

# The one build command (also in Fuzz/README.md): each harness has its own main calling LLVMFuzzerRunDriver;
# see Fuzz/Sources/CLibFuzzer.
(cd Fuzz && "$swift" build -c release -Xswiftc -sanitize=fuzzer,address)
bin="$(cd Fuzz && "$swift" build -c release -Xswiftc -sanitize=fuzzer,address --show-bin-path)"

run_one() {
  local t="$1" work="Fuzz/.build/corpus/$1" art="Fuzz/artifacts/$1"
  mkdir -p "$work" "$art"
  local limit=(-max_total_time="$seconds")
  [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
  "$bin/${exe[$t]}" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$art/" "$work" "Tests/Fuzz/$t" > "Fuzz/.build/$t.log" 2>&1
  local rc=$?
  local last; last="$(grep -E '^#[0-9]+' "Fuzz/.build/$t.log" | tail -1)"
  local runs; runs="$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "Fuzz/.build/$t.log" | grep -Eo '[0-9]+$' || echo '?')"
  printf '%-22s rc=%s runs=%s  %s\n' "$t" "$rc" "$runs" "$(echo "$last" | grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+' || true)"
  return $rc
}

# At most FUZZ_JOBS harnesses at once (default 2: the machines are shared); a slot is refilled
# as soon as any harness ends.
jobs_max="${FUZZ_JOBS:-2}"
status=0
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs_max" ]; then wait -n || status=1; running=$((running - 1)); fi
  run_one "$t" & running=$((running + 1))
done
while [ "$running" -gt 0 ]; do wait -n || status=1; running=$((running - 1)); done
[ $status -eq 0 ] && echo "fuzz: no crash, hang or leak" || echo "fuzz: FAILED, see Fuzz/artifacts and Fuzz/.build/<target>.log"
exit $status
