"""Ed25519 verification of Discord's interactions: the signature covers timestamp + raw body.

Anything wrong (missing headers, not hex, wrong length, a bad signature, a stale timestamp) is just
"not verified": the route answers 401 before reading anything else, as Discord's probes expect.
"""

from __future__ import annotations

import time
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

# Discord sends interactions as they happen; an old timestamp is a replay.
MAX_AGE_SECONDS = 300


@lru_cache(maxsize=8)
def _key(public_key_hex: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))


def verified(*, public_key_hex: str, signature: str | None, timestamp: str | None, body: bytes,
             now: float | None = None) -> bool:
    if not signature or not timestamp or len(signature) != 128 or len(timestamp) > 20:
        return False
    try:
        sent_at = int(timestamp)
        raw = bytes.fromhex(signature)
        key = _key(public_key_hex)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > MAX_AGE_SECONDS:
        return False
    try:
        key.verify(raw, timestamp.encode() + body)
    except InvalidSignature:
        return False
    return True
