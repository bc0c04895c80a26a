#!/usr/bin/env bash
# Runs the whole test suite (`make test`). When it fails, the last lines printed are a short
# summary — failed tests, tests still running, and the crashed thread if the test process
# crashed — because a CI log is often read from its tail only.
set -uo pipefail
SWIFT=${SWIFT:-swift}
log=$(mktemp "${TMPDIR:-/tmp}/auditctl-test-XXXXXX.log")

# A crash report that names the crashed thread's frames, not every thread's registers.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none,limit=48,top=12}

stdbuf -oL -eL "$SWIFT" test --parallel --num-workers 2 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] && { rm -f "$log"; exit 0; }

python3 - "$log" "$status" <<'EOF'
import re, sys
path, status = sys.argv[1], sys.argv[2]
lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
started, finished, failed = {}, set(), []
for line in lines:
    m = re.match(r"^◇ Test (.+?) started\.$", line)
    if m:
        started.setdefault(m.group(1), len(started))
        continue
    m = re.match(r"^[✔✘] Test (.+?)(?: with \d+ test cases?)? (passed|failed|skipped)", line)
    if m:
        finished.add(m.group(1))
        if m.group(2) == "failed":
            failed.append(line)
    elif line.startswith("✘ Test ") and "recorded an issue" in line:
        failed.append(line)
running = [name for name in started if name not in finished and name != "run" and not name.startswith("case ")]
crash = [i for i, line in enumerate(lines) if line.startswith("*** Program crashed") or re.match(r"^Thread \d+ .*crashed:$", line)]
print(f"\n=== make test failed (exit {status}); full log: {path}")
for line in failed[-12:]:
    print(line[:300])
if running:
    print(f"--- {len(running)} test(s) had started and not finished, e.g.:")
    for name in running[-8:]:
        print("    " + name)
for i in crash[:1]:
    for line in lines[i:i + 16]:
        print(line[:200])
EOF
exit "$status"
