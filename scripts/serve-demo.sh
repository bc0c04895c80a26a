#!/usr/bin/env bash
# `make serve`: the HTTP service on the demo ledger that `make demo` built.
set -euo pipefail
dir="${1:-demo}"
bin="$(swift build --show-bin-path)/auditctl"
if [ ! -f "$dir/data/ledger.sqlite" ]; then
  echo "no demo ledger in $dir/data: run \`make demo\` first" >&2
  exit 4
fi
echo "Demo users (passwords are demo-only, kept in $dir/*.pw):"
for f in "$dir"/*.pw; do
  [ -e "$f" ] || continue
  id="$(basename "$f" .pw)"
  case "$id" in otp|one-time*|edge|log-key) continue ;; esac
  printf '  %-8s password: %s\n' "$id" "$(head -n1 "$f")"
done
echo "QA reviewers sign at http://127.0.0.1:8080/queue; inspectors browse http://127.0.0.1:8080/entries."
echo "Stop with Ctrl-C."
exec "$bin" serve --data-dir "$dir/data" --log-key-password-file "$dir/log-key.password" --listen 127.0.0.1:8080
