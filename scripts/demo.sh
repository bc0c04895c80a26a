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
"$bin" append --kind note.added --actor ot-sec-jane --subject line-3 \
  --payload '{"text":"Conduit c-line-plc firewall rules reviewed","ticket":"OT-2291"}'
"$bin" append --kind note.added --actor bob --subject line-3 \
  --payload '{"text":"QA review of line 3 model scheduled"}'
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
echo "== Part 11 e-signatures: enroll people, record the approval policy"
export AUDITCTL_APPROVAL_POLICY="Policies/approval.yaml"
pw() { printf '%s\n' "$1" > "$dir/$2"; }
pw "ada-demo-password-1" ada.pw
pw "one-time-demo-password" otp.pw
"$bin" user add --id ada --name "Ada Admin" --role admin --initial-password-file "$dir/ada.pw" --reason "bootstrap: first admin"
"$bin" policy record --admin ada --admin-password-file "$dir/ada.pw" --reason "initial approval policy"
for spec in "alice:Alice Author:author" "quinn:Quinn QA:qa-reviewer" "pat:Pat Process:process-owner" "otto:Otto Security:ot-security"; do
  IFS=: read -r id name role <<<"$spec"
  pw "$id-demo-password-1" "$id.pw"
  "$bin" user add --id "$id" --name "$name" --role "$role" --initial-password-file "$dir/otp.pw" \
    --admin ada --admin-password-file "$dir/ada.pw" --reason "enrolled for the demo"
  # First login: the user replaces the one-time password and gets their own signing key.
  "$bin" key rotate --user "$id" --password-file "$dir/otp.pw" --new-password-file "$dir/$id.pw"
done

echo
echo "== A model change: propose (with the bundle's digest), three role-bound e-signatures"
mkdir -p "$dir/model/weights"
head -c 3000000 /dev/urandom > "$dir/model/weights/model.onnx"
printf '{"threshold":0.42,"classes":["ok","porosity","crack"]}\n' > "$dir/model/config.json"
"$bin" change propose --id chg-0002 --model weld-defect-detector --version 2.4.0 --type promote \
  --reason "Retrained on Q3 weld images; recall 0.97 -> 0.98" --bundle "$dir/model" --target-zone line1-ai \
  --user alice --password-file "$dir/alice.pw"
"$bin" sign chg-0002 --meaning reviewed --comment "validation report VR-118 checked" --user quinn --password-file "$dir/quinn.pw"
"$bin" sign chg-0002 --meaning approved --user pat --password-file "$dir/pat.pw"
"$bin" sign chg-0002 --meaning approved --comment "zone design unchanged" --user otto --password-file "$dir/otto.pw"
"$bin" change show chg-0002

echo
echo "== Bundle: trust root for the edge, bundle create, approvers sign the release"
"$bin" trust-root export --out "$dir/trust-root.json"
"$bin" bundle create "$dir/model" --change chg-0002 --user alice --password-file "$dir/alice.pw"
for id in quinn pat otto; do "$bin" bundle sign "$dir/model" --user "$id" --password-file "$dir/$id.pw"; done

echo
echo "== Edge: verify-bundle (offline checks, zone admission against the plant topology)"
"$bin" verify-bundle "$dir/model" --trust-root "$dir/trust-root.json" --zone line1-ai \
  --topology Policies/examples/compliant-plant.yaml --state "$dir/edge-state" --record --actor edge-ipc-line1
echo
echo "== Edge: the same bundle with one byte changed is refused"
printf 'X' | dd of="$dir/model/weights/model.onnx" bs=1 seek=1000 conv=notrunc status=none
"$bin" verify-bundle "$dir/model" --trust-root "$dir/trust-root.json" --zone line1-ai \
  --state "$dir/edge-state" --record --actor edge-ipc-line1 || echo "(exit $? : blocked, as it must be)"

echo
echo "== IEC 62443 zones: a compliant plant, and one with a DMZ bypass"
"$bin" policy check --topology Policies/examples/compliant-plant.yaml
"$bin" policy check --topology Policies/examples/noncompliant-dmz-bypass.yaml || echo "(exit $? : findings, as expected)"

echo
echo "== auditctl verify (the whole record, after all of the above)"
"$bin" verify --trusted-checkpoint "$dir/trusted.checkpoint"
echo
echo "Demo ledger in $dir/data. Try: AUDITCTL_DATA_DIR=$dir/data $bin log --json"
