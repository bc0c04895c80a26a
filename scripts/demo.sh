#!/usr/bin/env bash
# The README's first command: a ledger under ./demo with sample entries, proofs and a verify.
set -euo pipefail
dir="${1:-demo}"
bin="$(swift build --show-bin-path)/auditctl"
rm -rf "$dir"
mkdir -p "$dir"
# The demo seals the log key with a password kept in a file, as an operator's automation would.
umask 077
printf 'demo-log-key-password-%s\n' "$RANDOM$RANDOM" > "$dir/log-key.password"
export AUDITCTL_DATA_DIR="$dir/data"
export AUDITCTL_LOG_KEY_PASSWORD_FILE="$dir/log-key.password"

echo "== auditctl init"
"$bin" init --origin "demo.plant-a.example/auditctl"
echo
echo "== auditctl append (sample entries)"
"$bin" append --kind note.added --actor alice --subject line-3 \
  --payload '{"text":"Line 3 inference PC commissioned","asset":"ipc-line3"}'
"$bin" append --kind change.proposed --actor alice --subject chg-0001 \
  --payload '{"model":"weld-defect-detector","version":"2.4.0","type":"promote","reason":"Retrained on Q3 weld images; recall 0.97 -> 0.98","digest":"sha256:4f1c3a0c1b8f0e8c1d9b4b0f7c6a2e3d5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c"}'
"$bin" append --kind note.added --actor bob --subject chg-0001 \
  --payload '{"text":"QA review scheduled"}'
echo
echo "== auditctl log"
"$bin" log
echo
echo "== auditctl checkpoint --latest"
"$bin" checkpoint --latest | tee "$dir/trusted.checkpoint"
echo "== auditctl proof inclusion --seq 2"
"$bin" proof inclusion --seq 2
echo
echo "== auditctl proof consistency --from 2"
"$bin" proof consistency --from 2
echo
echo "== auditctl verify --trusted-checkpoint $dir/trusted.checkpoint"
"$bin" verify --trusted-checkpoint "$dir/trusted.checkpoint"
echo
echo "Demo ledger in $dir/data. Try: AUDITCTL_DATA_DIR=$dir/data $bin log --json"
