"""Reads MODEL_SIG with sigstore-python's own bundle model and DSSE envelope class, which
refuses an envelope that does not carry exactly one signature ("envelope must contain
exactly one signature"). With PUBLIC_KEY_PEM (ECDSA P-256), also verifies that signature
over the DSSE PAE with sigstore-python's DSSE verifier.

sigstore-python's `Bundle` itself additionally demands a Fulcio certificate and a Rekor
entry (keyless signing); key-signed bundles such as model-signing's `sign key` output carry
a public-key hint instead, so the bundle is read through the same model `Bundle` wraps.

usage: sigstore_parse.py MODEL_SIG [PUBLIC_KEY_PEM]
"""
import sys

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sigstore import dsse
from sigstore.models import _Bundle

bundle = _Bundle.from_json(open(sys.argv[1], "rb").read())
assert bundle.media_type == "application/vnd.dev.sigstore.bundle.v0.3+json", bundle.media_type
envelope = dsse.Envelope(bundle.dsse_envelope)  # raises InvalidEnvelope unless exactly one signature
if len(sys.argv) > 2:
    key = load_pem_public_key(open(sys.argv[2], "rb").read())
    dsse._verify(key, envelope)  # raises VerificationError on a bad signature
    print("verified")
print("ok one signature")
