"""Text normalisation, tokenising, sentence splitting and stable token hashing."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
import numpy.typing as npt

_WORD_RE = re.compile(r"\w+", re.UNICODE)
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|\n+")
_SPACE_RE = re.compile(r"\s+")

U64 = npt.NDArray[np.uint64]

_MASK64 = (1 << 64) - 1


def normalise(text: str) -> str:
    """Case-fold, apply NFKC and collapse whitespace."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


_ASCII_NON_WORD = "".join(c for c in map(chr, range(128)) if not (c.isalnum() or c == "_"))
_ASCII_TO_SPACES = str.maketrans(_ASCII_NON_WORD, " " * len(_ASCII_NON_WORD))


def tokens(text: str) -> list[str]:
    """Lower-case word tokens (Unicode aware; a fast path gives the same tokens for ASCII)."""
    if text.isascii():
        return text.lower().translate(_ASCII_TO_SPACES).split()
    return _WORD_RE.findall(text.casefold())


def sentences(text: str) -> list[str]:
    """Split text into sentences (on end punctuation and line breaks), dropping empty ones."""
    return [part.strip() for part in _SENTENCE_RE.split(text) if part and part.strip()]


def canonical_key(text: str) -> str:
    """A key under which texts that differ only in case, spacing and punctuation are equal."""
    return " ".join(tokens(text if text.isascii() else unicodedata.normalize("NFKC", text)))


class TokenHasher(dict[str, int]):
    """Maps tokens to stable 64-bit hashes (independent of corpus order and of the process's
    string-hash seed), caching each distinct token."""

    def __missing__(self, token: str) -> int:
        value = int.from_bytes(
            hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little"
        )
        self[token] = value
        return value

    def hash_tokens(self, words: list[str]) -> list[int]:
        return list(map(self.__getitem__, words))


def mix64(values: U64) -> U64:
    """SplitMix64 finaliser: a fast, well-spread bijection on 64-bit integers."""
    z = values.copy()
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


_SHINGLE_MULTIPLIERS = tuple(
    np.uint64(m)
    for m in (
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0x2545F4914F6CDD1D,
        0x9FB21C651E98DF25,
    )
)


def shingle_hashes(token_hashes: U64, size: int) -> U64:
    """Hashes of the word ``size``-grams of one token sequence (one value if it is shorter)."""
    count = token_hashes.shape[0]
    if count == 0:
        return np.zeros(0, dtype=np.uint64)
    width = min(size, count)
    span = count - width + 1
    acc = np.zeros(span, dtype=np.uint64)
    for position in range(width):
        acc += token_hashes[position : position + span] * _SHINGLE_MULTIPLIERS[position]
    return mix64(acc)


def batch_shingle_hashes(
    token_hashes: U64, offsets: npt.NDArray[np.int64], size: int
) -> tuple[U64, npt.NDArray[np.int64]]:
    """Shingle hashes for many documents at once.

    ``token_hashes`` holds every document's tokens back to back; document ``d`` owns
    ``token_hashes[offsets[d]:offsets[d + 1]]``. Every document must have at least ``size``
    tokens. Returns the shingle hashes back to back and their offsets.
    """
    total = token_hashes.shape[0]
    lengths = np.diff(offsets)
    if np.any(lengths < size):
        raise ValueError("every document needs at least `size` tokens")
    span = total - size + 1
    acc = np.zeros(max(span, 0), dtype=np.uint64)
    for position in range(size):
        acc += token_hashes[position : position + span] * _SHINGLE_MULTIPLIERS[position]
    # keep the windows that start in a document and end inside the same document
    shingle_counts = lengths - size + 1
    starts = np.repeat(offsets[:-1], shingle_counts)
    within = np.arange(starts.shape[0]) - np.repeat(
        np.cumsum(shingle_counts) - shingle_counts, shingle_counts
    )
    keep = starts + within
    shingle_offsets = np.zeros(offsets.shape[0], dtype=np.int64)
    np.cumsum(shingle_counts, out=shingle_offsets[1:])
    return mix64(acc[keep]), shingle_offsets


def stable_hash(text: str, *, length: int = 12) -> str:
    """A short hexadecimal digest of ``text`` for building stable identifiers."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()[:length]
