"""Verifies MODEL_DIR/model.sig with model-signing's library, using the hashing
configuration recorded in the signature (files or shards).

model-signing 1.1.1 cannot do that itself for shards: its CLI always assumes files, and its
library's guess passes the recorded shard_size (written as a JSON float, 1048576.0) to range(),
which raises TypeError. So the configuration is built here, with int(shard_size).

usage: ms_verify.py MODEL_DIR PUBLIC_KEY_PEM
"""
import base64
import json
import pathlib
import sys

from model_signing import hashing, verifying

model = pathlib.Path(sys.argv[1])
sig = model / "model.sig"
payload = json.loads(base64.b64decode(json.loads(sig.read_text())["dsseEnvelope"]["payload"]))
args = payload["predicate"]["serialization"]
if args["method"] == "shards":
    config = hashing.Config().use_shard_serialization(shard_size=int(args["shard_size"]), allow_symlinks=args["allow_symlinks"])
else:
    config = hashing.Config().use_file_serialization(allow_symlinks=args["allow_symlinks"])
config.set_ignored_paths(paths=[sig])
verifying.Config().use_elliptic_key_verifier(public_key=sys.argv[2]).set_hashing_config(config).verify(model, sig)
print("Verification succeeded")
