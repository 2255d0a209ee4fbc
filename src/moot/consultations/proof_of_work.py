"""A privacy-friendly proof-of-work check for the public form, with no third party.

The check-your-answers page carries a signed challenge. A browser running JavaScript finds a
nonce whose SHA-256 hash with the challenge starts with enough zero bits (about a second of
work); a browser without JavaScript simply sends the form again after a short wait, which
the signed issue time proves. Each challenge is accepted once.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

SALT = "moot.consultations.proof-of-work"
MAX_AGE_SECONDS = 2 * 3600


def challenge_issue() -> str:
    return signing.TimestampSigner(salt=SALT).sign(secrets.token_hex(8))


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + (8 - byte.bit_length())
    return bits


def challenge_solved(challenge: str, nonce: str, *, bits: int) -> bool:
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def challenge_verify(challenge: str, nonce: str) -> bool:
    """True, once per challenge, if it is genuine and either solved or old enough."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        random_part = signer.unsign(challenge, max_age=MAX_AGE_SECONDS)
        issued = signing.b62_decode(challenge.split(signer.sep)[-2])
    except (signing.BadSignature, ValueError, IndexError):
        return False
    solved = bool(nonce) and challenge_solved(
        challenge, nonce, bits=settings.RESPONSE_PROOF_OF_WORK_BITS
    )
    waited = time.time() - issued >= settings.RESPONSE_PROOF_OF_WORK_WAIT_SECONDS
    if not (solved or waited):
        return False
    return cache.add(f"pow-used:{random_part}", 1, timeout=MAX_AGE_SECONDS)
