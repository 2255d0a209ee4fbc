"""The form of API keys and their keyed hashes; no database access here."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

KEY_SCHEME = "moot"
PREFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
PREFIX_LENGTH = 10


def key_generate() -> tuple[str, str]:
    """A new key and its prefix: ``moot_<prefix>_<secret>``; the secret has 256 bits."""
    prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    return f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def key_prefix(presented: str) -> str | None:
    """The prefix of a key in the right form, or None."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME or len(parts[1]) != PREFIX_LENGTH:
        return None
    if not parts[2] or not set(parts[1]) <= set(PREFIX_ALPHABET):
        return None
    return parts[1]


def key_hash(key: str) -> str:
    """HMAC-SHA256 of the key under a key derived from ``SECRET_KEY``.

    A leaked database therefore yields neither usable keys nor hashes that can be checked
    offline without the secret. Changing ``SECRET_KEY`` invalidates every API key.
    """
    secret = hashlib.sha256(f"moot-api-key:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


def key_matches(*, presented: str, stored_hash: str) -> bool:
    return bool(stored_hash) and hmac.compare_digest(key_hash(presented), stored_hash)
