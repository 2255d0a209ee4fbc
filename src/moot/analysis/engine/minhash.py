"""Vectorised MinHash signatures and LSH banding.

Signatures use ``num_perm`` multiply-shift hash functions over 64-bit shingle hashes and keep
the top 32 bits, so a signature is a ``uint32`` row. Banding splits a row into ``bands``
groups of ``rows`` values; documents whose band values all agree fall in the same bucket.
Instead of emitting every pair in a bucket (quadratic in a large campaign), each bucket emits a
*star*: its heaviest document (the most often submitted text, usually the campaign template)
paired with each other member.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from moot.analysis.engine.text import U64, mix64

U32Matrix = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

_CHUNK_SHINGLES = 1 << 20
_ROW_MULTIPLIERS = mix64(np.arange(1, 65, dtype=np.uint64)) | np.uint64(1)


def permutation_parameters(num_perm: int, seed: int) -> tuple[U64, U64]:
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x6D6F6F74]))
    multipliers = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64) * np.uint64(2)
    multipliers |= np.uint64(1)
    offsets = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64)
    return multipliers, offsets


def signatures(shingles: U64, offsets: I64, *, num_perm: int, seed: int) -> U32Matrix:
    """MinHash signature of each document (``shingles[offsets[d]:offsets[d+1]]``, non-empty)."""
    doc_count = offsets.shape[0] - 1
    out = np.empty((doc_count, num_perm), dtype=np.uint32)
    if doc_count == 0:
        return out
    if np.any(np.diff(offsets) <= 0):
        raise ValueError("every document needs at least one shingle")
    multipliers, adds = permutation_parameters(num_perm, seed)
    shift = np.uint64(32)
    first = 0
    while first < doc_count:
        # take whole documents until the chunk holds about _CHUNK_SHINGLES shingles
        limit = offsets[first] + _CHUNK_SHINGLES
        last = int(np.searchsorted(offsets, limit, side="right")) - 1
        last = min(max(last, first + 1), doc_count)
        lo, hi = int(offsets[first]), int(offsets[last])
        chunk = shingles[lo:hi]
        starts = offsets[first:last] - lo
        hashed = np.empty(chunk.shape[0], dtype=np.uint64)
        for perm in range(num_perm):
            np.multiply(chunk, multipliers[perm], out=hashed)
            hashed += adds[perm]
            # shifting is monotonic, so the top 32 bits of the minimum are the minimum of the
            # top 32 bits: shift the few minima rather than every hash
            out[first:last, perm] = np.minimum.reduceat(hashed, starts) >> shift
        first = last
    return out


def signature_of(shingles: U64, *, num_perm: int, seed: int) -> npt.NDArray[np.uint32]:
    """MinHash signature of one document (used by the incremental matcher)."""
    multipliers, adds = permutation_parameters(num_perm, seed)
    hashed = (shingles[:, None] * multipliers[None, :] + adds[None, :]) >> np.uint64(32)
    result: npt.NDArray[np.uint32] = hashed.min(axis=0).astype(np.uint32)
    return result


def band_keys(sigs: U32Matrix, *, bands: int) -> U64:
    """One 64-bit key per (document, band): shape ``(documents, bands)``."""
    doc_count, num_perm = sigs.shape
    rows = num_perm // bands
    wide = sigs.astype(np.uint64).reshape(doc_count, bands, rows)
    keys = (wide * _ROW_MULTIPLIERS[:rows][None, None, :]).sum(axis=2, dtype=np.uint64)
    keys += np.arange(bands, dtype=np.uint64)[None, :] * np.uint64(0x9E3779B97F4A7C15)
    result: U64 = mix64(keys)
    return result


def star_candidate_pairs(sigs: U32Matrix, weights: I64, *, bands: int) -> I64:
    """Candidate pairs ``(centre, other)`` from LSH buckets, as an ``(n, 2)`` array.

    In every bucket of two or more documents the centre is the heaviest document (ties go to
    the lowest index) and every other document is paired with it. Pairs are unique.
    """
    doc_count = sigs.shape[0]
    if doc_count < 2:
        return np.zeros((0, 2), dtype=np.int64)
    keys = band_keys(sigs, bands=bands)
    index = np.arange(doc_count, dtype=np.int64)
    found: list[I64] = []
    for band in range(bands):
        order = np.lexsort((index, -weights, keys[:, band]))
        sorted_keys = keys[order, band]
        is_start = np.empty(doc_count, dtype=bool)
        is_start[0] = True
        np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=is_start[1:])
        group_start = np.maximum.accumulate(np.where(is_start, np.arange(doc_count), 0))
        members = ~is_start
        if not members.any():
            continue
        centres = order[group_start[members]]
        others = order[members]
        found.append(centres * doc_count + others)
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return np.stack([codes // doc_count, codes % doc_count], axis=1)


def estimated_jaccard(sigs: U32Matrix, pairs: I64) -> npt.NDArray[np.float64]:
    """Fraction of agreeing signature values for each pair (an estimate of Jaccard)."""
    result = np.empty(pairs.shape[0], dtype=np.float64)
    step = 65_536
    for lo in range(0, pairs.shape[0], step):
        part = pairs[lo : lo + step]
        result[lo : lo + step] = (sigs[part[:, 0]] == sigs[part[:, 1]]).mean(axis=1)
    return result
