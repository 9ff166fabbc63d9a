"""Ed25519 verification of Discord's interactions: the signature covers timestamp + raw body.

Anything wrong (missing headers, not hex, wrong length, a bad signature, a stale timestamp) is just
"not verified": the route answers 401 before reading anything else, as Discord's probes expect.
`well_formed` checks the headers alone, so a request whose headers cannot verify is refused before
its body is read.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

# Discord sends interactions as they happen; an old timestamp is a replay.
MAX_AGE_SECONDS = 300
SIGNATURE_HEADER = "X-Signature-Ed25519"
TIMESTAMP_HEADER = "X-Signature-Timestamp"
_SIGNATURE = re.compile(r"[0-9a-fA-F]{128}")  # 64 bytes
_TIMESTAMP = re.compile(r"[0-9]{1,20}")  # Unix seconds, ASCII digits only
_PUBLIC_KEY = re.compile(r"[0-9a-fA-F]{64}")  # 32 bytes


@lru_cache(maxsize=8)
def _key(public_key_hex: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))


def valid_key(public_key_hex: str | None) -> bool:
    """Whether `public_key_hex` is an Ed25519 public key in hex (the developer portal's form)."""
    if not public_key_hex or not _PUBLIC_KEY.fullmatch(public_key_hex):
        return False
    try:
        _key(public_key_hex)
    except ValueError:
        return False
    return True


def well_formed(*, signature: str | None, timestamp: str | None, now: float | None = None) -> bool:
    """The headers could verify: a signature of 128 hex digits and a fresh timestamp of digits."""
    if not signature or not timestamp or not _SIGNATURE.fullmatch(signature) or not _TIMESTAMP.fullmatch(timestamp):
        return False
    return abs((time.time() if now is None else now) - int(timestamp)) <= MAX_AGE_SECONDS


def verified(*, public_key_hex: str | None, signature: str | None, timestamp: str | None, body: bytes,
             now: float | None = None) -> bool:
    """The request is Discord's: well-formed headers and a valid signature of timestamp + body."""
    if not well_formed(signature=signature, timestamp=timestamp, now=now) or not valid_key(public_key_hex):
        return False
    assert signature is not None and timestamp is not None and public_key_hex is not None
    try:
        _key(public_key_hex).verify(bytes.fromhex(signature), timestamp.encode() + body)
    except InvalidSignature:
        return False
    return True
