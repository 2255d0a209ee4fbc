"""Sentence embeddings: loaded from installed package files, never from the network."""

from __future__ import annotations

import socket
import subprocess
import sys

import numpy as np
import pytest

from moot.analysis.engine.embeddings import (
    DEFAULT_MODEL,
    VECTOR_CACHE,
    embed_texts,
    get_embedder,
    normalise,
)
from moot.analysis.engine.registry import ActiveTheme
from moot.analysis.engine.semantic import clauses, seed_term_hits, text_vectors


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(normalise(a[None])[0] @ normalise(b[None])[0])


def test_the_model_loads_and_embeds_with_the_network_cut_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the embedding model tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    get_embedder.cache_clear()
    VECTOR_CACHE.clear()
    embedder = get_embedder(DEFAULT_MODEL)
    vectors = embedder.embed(["Gambling adverts harm children", ""])
    assert vectors.shape == (2, embedder.dimension) == (2, 256)
    assert np.abs(vectors[0]).sum() > 0
    assert not vectors[1].any()  # an empty text is a zero row


def test_a_fresh_interpreter_needs_no_network_and_sets_offline_mode() -> None:
    code = (
        "import os, socket\n"
        "def refuse(*a, **k): raise SystemExit('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from moot.analysis.engine.embeddings import embed_texts\n"
        "v = embed_texts(['a short answer'])\n"
        "assert v.shape == (1, 256)\n"
        "assert os.environ['HF_HUB_OFFLINE'] == '1'\n"
        "print('ok')\n"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_meaning_not_word_overlap_decides_similarity() -> None:
    vectors = embed_texts(
        [
            "I want more choices for parents",
            "Families should be given a choice",
            "The bridge repairs are late again",
        ]
    )
    assert _cosine(vectors[0], vectors[1]) > _cosine(vectors[0], vectors[2])


def test_vectors_are_cached_per_text_and_identical_each_time() -> None:
    VECTOR_CACHE.clear()
    first = embed_texts(["same words", "other words", "same words"])
    assert np.array_equal(first[0], first[2])
    again = embed_texts(["same words"])
    assert np.array_equal(again[0], first[0])
    assert VECTOR_CACHE.get((DEFAULT_MODEL, b"")) is None


def test_an_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown text model"):
        get_embedder("no-such-model")


def test_clauses_split_contrasted_points() -> None:
    text = "Ads normalise betting for children. However, clubs rely on the sponsorship money."
    assert clauses(text) == [
        "Ads normalise betting for children.",
        "However, clubs rely on the sponsorship money.",
    ]
    assert clauses("Too short. Yes") == ["Too short. Yes"]


def test_text_vectors_are_centred_and_normalised() -> None:
    vectors = text_vectors(
        ["One point here. And a second point there.", "Another answer entirely"],
        model=DEFAULT_MODEL,
    )
    assert np.allclose(np.linalg.norm(vectors.texts, axis=1), 1.0, atol=1e-5)
    assert vectors.clauses.shape[0] == 2
    assert vectors.clause_owner.tolist() == [0, 0]


def test_seed_terms_match_whole_words_only() -> None:
    theme = ActiveTheme(id="t", label="Phones", seed_terms=("phone",))
    hits = seed_term_hits(["Pick up the PHONE", "a phonebook", "no"], [theme])
    assert hits[:, 0].tolist() == [True, False, False]
