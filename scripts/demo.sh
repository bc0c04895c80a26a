#!/usr/bin/env bash
# The README's first command: a ledger under ./demo with two founding admins, the approval
# policy under change control, people enrolled and confirmed, notes, proofs, an approved
# model change, an edge that verifies the bundle, and a final `auditctl verify`.
set -euo pipefail
dir="${1:-demo}"
bin="$(swift build --show-bin-path)/auditctl"
rm -rf "$dir"
mkdir -p "$dir"
# The demo keeps every password in a file, as an operator's automation would.
umask 077
printf 'demo-log-key-password-%s\n' "$RANDOM$RANDOM" > "$dir/log-key.password"
export AUDITCTL_DATA_DIR="$dir/data"
export AUDITCTL_LOG_KEY_PASSWORD_FILE="$dir/log-key.password"
export AUDITCTL_APPROVAL_POLICY="Policies/approval.yaml"
pw() { printf '%s\n' "$1" > "$dir/$2"; }
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
pw "ada-demo-password-1" ada.pw
pw "bob-demo-password-1" bob.pw
pw "one-time-demo-password" otp.pw

echo "== auditctl init (two founding admins: no single person can create a signer)"
"$bin" init --origin "demo.plant-a.example/auditctl" \
  --admin ada --admin-name "Ada Admin" --admin-password-file "$dir/ada.pw" \
  --admin bob --admin-name "Bob Admin" --admin-password-file "$dir/bob.pw"
echo
echo "== The approval policy: recorded by ada, in force once bob confirms it"
"$bin" policy record --admin ada --admin-password-file "$dir/ada.pw" --reason "initial approval policy"
"$bin" policy confirm --admin bob --admin-password-file "$dir/bob.pw" --reason "reviewed the initial policy (CC-2026-01)"
"$bin" policy status

echo
echo "== Part 11 identities: ada enrolls, each person replaces the one-time password, bob confirms"
for spec in "alice:Alice Author:author" "quinn:Quinn QA:qa-reviewer" "pat:Pat Process:process-owner" "otto:Otto Security:ot-security"; do
  IFS=: read -r id name role <<<"$spec"
  pw "$id-demo-password-1" "$id.pw"
  "$bin" user add --id "$id" --name "$name" --role "$role" --initial-password-file "$dir/otp.pw" \
    --admin ada --admin-password-file "$dir/ada.pw" --reason "enrolled for the demo"
  # First login: the user replaces the one-time password and gets their own signing key.
  key=$("$bin" key rotate --user "$id" --password-file "$dir/otp.pw" --new-password-file "$dir/$id.pw" --json | json_field keyId)
  echo "new signing key $key for $id (the id $id reads out to the confirming admin)"
  # A second admin checks the person's identity and the key id they read; roles and key take effect now.
  "$bin" user confirm "$id" --key "$key" --admin bob --admin-password-file "$dir/bob.pw" --reason "badge checked in person"
done
echo
echo "== A later rotation is vouched for by the confirmed key: in force at once, no confirmation"
pw "quinn-demo-password-2" quinn-2.pw
"$bin" key rotate --user quinn --password-file "$dir/quinn.pw" --new-password-file "$dir/quinn-2.pw"
mv "$dir/quinn-2.pw" "$dir/quinn.pw"
"$bin" user show quinn

echo
echo "== auditctl append (notes, each as the authenticated person who writes it)"
"$bin" append --kind note.added --subject line-3 --user alice --password-file "$dir/alice.pw" \
  --payload '{"text":"Line 3 inference PC commissioned","asset":"ipc-line3"}'
"$bin" append --kind note.added --subject line-3 --user otto --password-file "$dir/otto.pw" \
  --payload '{"text":"Conduit c-line-plc firewall rules reviewed","ticket":"OT-2291"}'
"$bin" append --kind note.added --subject line-3 --user quinn --password-file "$dir/quinn.pw" \
  --payload '{"text":"QA review of line 3 model scheduled"}'
echo
echo "== auditctl log --kind note.added"
"$bin" log --kind note.added
echo
echo "== auditctl checkpoint --latest"
"$bin" checkpoint --latest | tee "$dir/trusted.checkpoint"
seq=$("$bin" log --kind note.added --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["seq"])')
echo "== auditctl proof inclusion --seq $seq"
"$bin" proof inclusion --seq "$seq"
echo
echo "== auditctl proof consistency --from $seq"
"$bin" proof consistency --from "$seq"
echo
echo "== auditctl verify --trusted-checkpoint $dir/trusted.checkpoint"
"$bin" verify --trusted-checkpoint "$dir/trusted.checkpoint"

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
echo "== Edge identity: the edge makes its key, ada enrolls it, bob confirms it"
pw "edge-line1-key-password" edge.pw
"$bin" edge keygen --state "$dir/edge-state" --id edge-ipc-line1 --edge-key-password-file "$dir/edge.pw"
"$bin" edge enroll --id edge-ipc-line1 --name "Line 1 inference PC" --public-key "$dir/edge-state/edge-identity.json" \
  --admin ada --admin-password-file "$dir/ada.pw" --reason "commissioned with line 1"
"$bin" user confirm edge-ipc-line1 --key "$(json_field keyId < "$dir/edge-state/edge-identity.json")" \
  --admin bob --admin-password-file "$dir/bob.pw" --reason "key fingerprint read off the device"

echo
echo "== Edge: verify-bundle (offline checks, zone admission against the plant topology), decision signed and recorded"
"$bin" verify-bundle "$dir/model" --trust-root "$dir/trust-root.json" --zone line1-ai \
  --topology Policies/examples/compliant-plant.yaml --state "$dir/edge-state" --record --edge-key-password-file "$dir/edge.pw"
echo
echo "== Edge: the same bundle with one byte changed is refused"
printf 'X' | dd of="$dir/model/weights/model.onnx" bs=1 seek=1000 conv=notrunc status=none
"$bin" verify-bundle "$dir/model" --trust-root "$dir/trust-root.json" --zone line1-ai \
  --state "$dir/edge-state" --record --edge-key-password-file "$dir/edge.pw" || echo "(exit $? : blocked, as it must be)"

echo
echo "== IEC 62443 zones: a compliant plant (recorded by otto), and one with a DMZ bypass"
"$bin" policy check --topology Policies/examples/compliant-plant.yaml --record --user otto --password-file "$dir/otto.pw"
"$bin" policy check --topology Policies/examples/noncompliant-dmz-bypass.yaml || echo "(exit $? : findings, as expected)"

echo
echo "== auditctl verify (the whole record, every authority signature replayed, after all of the above)"
"$bin" verify --trusted-checkpoint "$dir/trusted.checkpoint"
echo
echo "Demo ledger in $dir/data. Try: AUDITCTL_DATA_DIR=$dir/data $bin user access-report"
