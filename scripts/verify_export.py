#!/usr/bin/env python3
"""Check an auditctl regulator export without auditctl.

Needs only Python 3.9+ and PyNaCl (Ed25519). Docs/inspector-guide.md explains every step.

    python3 verify_export.py export.zip --log-key log.vkey

Exit 0 when every check holds, 1 when one fails (each failure names the file and seq),
2 on bad usage or an unreadable file.
"""
import argparse
import base64
import hashlib
import json
import sys
import zipfile

try:
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey
except ImportError:  # pragma: no cover - told to the user
    sys.exit("verify_export.py needs PyNaCl: python3 -m pip install PyNaCl")

MANIFEST_FORMAT = "auditctl-export-manifest/v1"
PROOFS_FORMAT = "auditctl-export-proofs/v1"
failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


# --- RFC 9162 hashing -------------------------------------------------------------------
def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(entry_bytes):
    return sha256(b"\x00" + entry_bytes)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def digest(text):
    if not isinstance(text, str) or not text.startswith("sha256:") or len(text) != 71:
        raise ValueError(f"not sha256:<64 hex>: {text!r}")
    return bytes.fromhex(text[7:])


def verify_inclusion(leaf, index, size, path, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(size1, size2, root1, root2, path):
    """RFC 9162 section 2.1.4.2 (equal sizes: equal roots, empty proof)."""
    if size1 == size2:
        return not path and root1 == root2
    if size1 == 0 or size1 > size2 or not path:
        return False
    if size1 & (size1 - 1) == 0:
        path = [root1] + path
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


class CompactRange:
    """Perfect subtree hashes of leaves [0, size), largest first; append = binary carry."""

    def __init__(self, size, nodes):
        if len(nodes) != bin(size).count("1"):
            raise ValueError("prefixFrontier has the wrong number of hashes for its size")
        self.size, self.nodes = size, list(nodes)

    def append(self, leaf):
        h, pos = leaf, self.size
        while pos & 1:
            h = node_hash(self.nodes.pop(), h)
            pos >>= 1
        self.nodes.append(h)
        self.size += 1

    def root(self):
        if not self.nodes:
            return sha256(b"")
        r = self.nodes[-1]
        for n in reversed(self.nodes[:-1]):
            r = node_hash(n, r)
        return r


# --- C2SP signed notes ------------------------------------------------------------------
def parse_verifier_key(text):
    name, key_hash, key = text.strip().split("+", 2)  # base64 may contain "+"
    raw = base64.b64decode(key, validate=True)
    if raw[0] != 1 or len(raw) != 33:
        raise ValueError("not an Ed25519 verifier key")
    expected = sha256(name.encode() + b"\n" + raw)[:4]
    if expected != bytes.fromhex(key_hash):
        raise ValueError("key hash does not match name and key")
    return name, expected, raw[1:]


def open_note(data, key):
    """Returns the signed text if a signature line by `key` verifies, else None."""
    name, key_hash, public = key
    split = data.rfind(b"\n\n")
    if split < 0:
        return None
    text, block = data[: split + 1], data[split + 2 :]
    for line in block.split(b"\n"):
        if not line.startswith("— ".encode()):
            continue
        signer, _, b64 = line[len("— ".encode()) :].partition(b" ")
        raw = base64.b64decode(b64)
        if signer.decode() == name and raw[:4] == key_hash:
            try:
                VerifyKey(public).verify(text, raw[4:])
                return text
            except BadSignatureError:
                return None
    return None


def canonical(value):
    """RFC 8785 for the statements signed here (strings and objects with ASCII keys)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# --- the checks -------------------------------------------------------------------------
def main():
    try:
        return run()
    except (KeyError, ValueError, TypeError, IndexError, zipfile.BadZipFile, UnicodeDecodeError) as e:
        # A malformed file is a failed check, reported with everything found so far.
        fail("export", f"malformed, stopped checking: {type(e).__name__}: {e}")
        return report(None)


def report(summary):
    if failures:
        for f in failures:
            print("FAIL " + f)
        print(f"{len(failures)} check(s) failed")
        return 1
    print(summary)
    return 0


def run():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("zip")
    ap.add_argument("--log-key", help="the log's verifier key file (log.vkey) as the site gave it")
    args = ap.parse_args()
    try:
        z = zipfile.ZipFile(args.zip)
    except (OSError, zipfile.BadZipFile) as e:
        print(f"error: {args.zip}: {e}", file=sys.stderr)
        return 2
    names = set(z.namelist())

    manifest_bytes = z.read("manifest.json")
    manifest = json.loads(manifest_bytes)
    if args.log_key:
        key_text = open(args.log_key).read().strip()
        if key_text != manifest["logVerifierKey"]:
            fail("manifest.json", "names another log key than --log-key")
    else:
        key_text = manifest["logVerifierKey"]
        print(f"note: no --log-key given; using the export's own key {key_text}")
    key = parse_verifier_key(key_text)
    origin = manifest["origin"]

    # 1. manifest.sig: signed note by the log key over SHA-256(manifest.json).
    expected = f"{MANIFEST_FORMAT}\n{origin}\nsha256:{hashlib.sha256(manifest_bytes).hexdigest()}\n".encode()
    if "manifest.sig" not in names or open_note(z.read("manifest.sig"), key) != expected:
        fail("manifest.sig", "no valid signature by the log key over this manifest.json")

    # 2. every file's digest and size; none missing, none added.
    listed = {f["name"]: f for f in manifest["files"]}
    for name, f in listed.items():
        if name not in names:
            fail(name, "listed in manifest.json but missing")
            continue
        h, size = hashlib.sha256(), 0
        with z.open(name) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
        if "sha256:" + h.hexdigest() != f["sha256"] or size != f["size"]:
            fail(name, "SHA-256 or size differs from manifest.json")
    for name in sorted(names - set(listed) - {"manifest.json", "manifest.sig"}):
        if not name.endswith("/"):
            fail(name, "not listed in manifest.json (added)")

    # 3. checkpoint.txt: signed by the log key, names the manifest's tree.
    body = open_note(z.read("checkpoint.txt"), key)
    tree_size, root = manifest["checkpoint"]["size"], digest(manifest["checkpoint"]["rootHash"])
    if body is None:
        fail("checkpoint.txt", "not signed by the log key")
    else:
        lines = body.decode().split("\n")
        if lines[0] != origin or int(lines[1]) != tree_size or base64.b64decode(lines[2]) != root:
            fail("checkpoint.txt", "names another origin, size or root than manifest.json")

    with z.open("proofs.jsonl") as proofs:
        header = json.loads(proofs.readline())
        if header["format"] != PROOFS_FORMAT or header["treeSize"] != tree_size or digest(header["rootHash"]) != root:
            fail("proofs.jsonl", "line 1 describes another tree")
        first, last = header["period"]["firstSeq"], header["period"]["lastSeq"]
        keys_by_seq = {}  # seq -> {keyId: public key bytes} registered by that entry

        def note_keys(entry):
            p = entry["payload"]
            found = {}
            if entry["kind"] == "ledger.created":
                for f in p.get("founders", []):
                    found[f["keyId"]] = base64.b64decode(f["publicKey"])
            elif entry["kind"] in ("key.registered", "user.added") and "publicKey" in p:
                found[p["keyId"]] = base64.b64decode(p["publicKey"])
            for kid, pub in found.items():
                if "sha256:" + hashlib.sha256(pub).hexdigest() != kid:
                    fail("entries", f"seq {entry['seq']}: keyId is not the SHA-256 of its public key")
            if found:
                keys_by_seq[entry["seq"]] = found

        # 4. context entries: each with an RFC 9162 inclusion proof to the checkpoint root.
        n_context = 0
        with z.open("context.jsonl") as context:
            for line in context:
                n_context += 1
                raw = line.rstrip(b"\n")
                entry = json.loads(raw)
                proof = json.loads(proofs.readline() or b"{}")
                path = [digest(x) for x in proof.get("inclusionPath", [])]
                if proof.get("seq") != entry["seq"] or digest(proof["leafHash"]) != leaf_hash(raw) \
                        or not verify_inclusion(leaf_hash(raw), entry["seq"], tree_size, path, root):
                    fail("context.jsonl", f"line {n_context} (seq {entry['seq']}): inclusion proof fails")
                note_keys(entry)

    # 5. the period: contiguous seqs, prev links, compact range to the consistency proof.
    compact = CompactRange(first, [digest(x) for x in header["prefixFrontier"]["hashes"]])
    start = header.get("startCheckpoint")
    expected_seq, prev_hash, n = first, None, 0
    signatures = {}  # seq -> (statement, signature b64, keyId)
    verified = set()
    decisions = []
    with z.open("entries.jsonl") as entries:
        for line in entries:
            n += 1
            raw = line.rstrip(b"\n")
            entry = json.loads(raw)
            seq = entry["seq"]
            if seq != expected_seq:
                fail("entries.jsonl", f"line {n} (seq {seq}): expected seq {expected_seq} (missing, reordered or added entry)")
            if prev_hash is not None and entry["prev"] != "sha256:" + prev_hash.hex():
                fail("entries.jsonl", f"line {n} (seq {seq}): prev is not the hash of the entry before it")
            prev_hash = leaf_hash(raw)
            compact.append(prev_hash)
            expected_seq = seq + 1
            if start and compact.size == start["size"] and compact.root() != digest(start["rootHash"]):
                fail("entries.jsonl", f"entries up to seq {seq} contradict start-checkpoint.txt")
            note_keys(entry)
            if entry["kind"] == "signature.added":
                p = entry["payload"]
                signatures[seq] = (p["statement"], p["signature"], p["keyId"])
            elif entry["kind"] in ("change.approved", "change.rejected"):
                decisions.append(entry)
    if expected_seq != last + 1:
        fail("entries.jsonl", f"ends at seq {expected_seq - 1}, the period runs to {last}")
    path = [digest(x) for x in header["periodConsistency"]["path"]]
    if not verify_consistency(compact.size, tree_size, compact.root(), root, path):
        fail("entries.jsonl", "the entries do not lead to the signed checkpoint (altered, dropped, added or reordered)")
    if start:
        note = open_note(z.read("start-checkpoint.txt"), key)
        spath = [digest(x) for x in start["consistency"]["path"]]
        if note is None or not verify_consistency(start["size"], tree_size, digest(start["rootHash"]), root, spath):
            fail("start-checkpoint.txt", "not signed, or not consistent with the export's checkpoint")

    # 6. every e-signature under a key that an entry in the export registered.
    keys = {}
    for found in keys_by_seq.values():
        keys.update(found)
    for seq, (statement, signature, kid) in sorted(signatures.items()):
        public = keys.get(kid)
        if public is None:
            fail("entries.jsonl", f"seq {seq}: signed with key {kid}, which no entry in the export registers")
            continue
        try:
            VerifyKey(public).verify(canonical(statement), base64.b64decode(signature))
            verified.add(seq)
        except BadSignatureError:
            fail("entries.jsonl", f"seq {seq}: e-signature of {statement.get('printedName')} does not verify")
    # 7. every decision names signatures the export holds and that verified.
    for d in decisions:
        refs = d["payload"].get("assignment") or d["payload"].get("rejectedBy") or []
        for ref in refs:
            s = int(ref["signature"].split()[-1])
            if s in signatures and s not in verified:
                fail("entries.jsonl", f"seq {d['seq']}: decision rests on the unverified signature at seq {s}")

    return report(f"ok: {origin}, seqs {first}-{last} ({n} entries, {n_context} context entries), checkpoint size {tree_size}; "
                  f"{len(verified)} e-signature(s) verified, {len(decisions)} decision(s) reference verified signatures")


if __name__ == "__main__":
    sys.exit(main())
