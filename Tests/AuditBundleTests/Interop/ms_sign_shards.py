"""Signs MODEL_DIR with model-signing's Python API using shard serialization.

usage: ms_sign_shards.py MODEL_DIR PRIVATE_KEY_PEM SHARD_SIZE
The CLI has no shard option; this is the documented library path.
"""
import pathlib
import sys

from model_signing import hashing, signing

model, key, shard = pathlib.Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sig = model / "model.sig"
hashing_config = hashing.Config().use_shard_serialization(shard_size=shard).set_ignored_paths(paths=[sig])
signing.Config().use_elliptic_key_signer(private_key=key).set_hashing_config(hashing_config).sign(model, sig)
