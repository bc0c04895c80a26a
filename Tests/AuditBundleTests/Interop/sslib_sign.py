"""Signs PAYLOAD_FILE as a DSSE envelope with securesystemslib (an independent DSSE and
Ed25519 implementation) and writes the bare envelope JSON to OUT. Prints the raw public
key in hex. keyid is auditctl's fingerprint, sha256:<hex of SHA-256(raw public key)>.

usage: sslib_sign.py PAYLOAD_FILE OUT
"""
import hashlib
import json
import sys

from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner

payload = open(sys.argv[1], "rb").read()
signer = CryptoSigner.generate_ed25519(keyid="placeholder")
raw = bytes.fromhex(signer.public_key.keyval["public"])
envelope = Envelope(payload=payload, payload_type="application/vnd.in-toto+json", signatures={})
envelope.sign(signer)
document = envelope.to_dict()
for s in document["signatures"]:
    s["keyid"] = "sha256:" + hashlib.sha256(raw).hexdigest()
open(sys.argv[2], "w").write(json.dumps(document))
print(raw.hex())
