"""Checks an auditctl bundle with model-signing's own manifest code (no signature check:
model-signing has no Ed25519). Exit 0 when model-signing parses our statement and its own
hashing of the directory gives an equal manifest; otherwise prints the difference.

usage: ms_check_layout.py BUNDLE_DIR
"""
import base64
import json
import pathlib
import sys

from model_signing import hashing
from model_signing._signing import sign_sigstore_pb, signing

model = pathlib.Path(sys.argv[1])
# model-signing's own reader accepts our model.sig as a Sigstore bundle...
sign_sigstore_pb.Signature.read(model / "model.sig")
bundle = json.loads((model / "model.sig").read_text())
payload = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))
expected = signing.dsse_payload_to_manifest(payload)  # also checks the subject digest
args = expected.serialization_type
if args["method"] == "files":
    config = hashing.Config().use_file_serialization(allow_symlinks=args["allow_symlinks"])
else:
    config = hashing.Config().use_shard_serialization(shard_size=args["shard_size"], allow_symlinks=args["allow_symlinks"])
config.set_ignored_paths(paths=args.get("ignore_paths", []))
actual = config.hash(model)
if actual != expected:
    print("manifests differ", list(actual.resource_descriptors()), list(expected.resource_descriptors()))
    sys.exit(1)
print("ok", expected.model_name, len(list(expected.resource_descriptors())))
