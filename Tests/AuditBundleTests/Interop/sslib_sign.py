"""Signs PAYLOAD_FILE as a DSSE envelope with securesystemslib (an independent DSSE and
Ed25519 implementation) and writes the bare envelope JSON to OUT. Prints the raw public
key in hex. The keyid is securesystemslib's own (not auditctl's fingerprint): DSSE makes
keyid an optional, unauthenticated hint, and auditctl must find the key without it.

usage: sslib_sign.py PAYLOAD_FILE OUT
"""
import json
import sys

from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner

payload = open(sys.argv[1], "rb").read()
signer = CryptoSigner.generate_ed25519()
raw = bytes.fromhex(signer.public_key.keyval["public"])
envelope = Envelope(payload=payload, payload_type="application/vnd.in-toto+json", signatures={})
envelope.sign(signer)
open(sys.argv[2], "w").write(json.dumps(envelope.to_dict()))
print(raw.hex())
