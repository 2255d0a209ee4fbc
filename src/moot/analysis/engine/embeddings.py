"""Sentence embeddings: a representation of meaning that runs with no network.

Everything that needs the meaning of a text goes through :class:`SentenceEmbedder`, so the
model can be changed in one place (``AnalysisParams.text_model`` names it; see
:func:`get_embedder`). The model in use is a static one: a table of one 256-number vector per
token, averaged over the text's tokens. Its weights and tokenizer are files inside an
installed package (the ``wordllama`` wheel's ``l2_supercat_256``), read directly from there:
nothing is downloaded, the package's own loader (which may reach for the network) is never
called, and the offline switches of the Hugging Face libraries are set before the tokenizer
loads. Static vectors need no GPU: 100,000 short answers embed in a few seconds on one core.

Vectors are cached per distinct text (content hash, per model), so a re-run of the same
consultation and the copies of a campaign cost nothing more.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from scipy import sparse

DEFAULT_MODEL = "wordllama-l2-supercat-256"
_BATCH = 2_000
_CACHE_LIMIT = 300_000


class EmbeddingModelUnavailable(RuntimeError):
    """The package that ships a model's files is not installed."""


class SentenceEmbedder(Protocol):
    """Turns texts into vectors whose cosine similarity reflects closeness of meaning."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One float32 row per text (not normalised; an empty text gives a zero row)."""
        ...


def _offline() -> None:
    # the tokenizer and weights are local files; make sure no library ever tries a hub
    for variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ.setdefault(variable, "1")


def package_folder(package: str) -> Path:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelUnavailable(
            f"the package {package!r} that ships the embedding model is not installed"
        )
    return Path(next(iter(spec.submodule_search_locations)))


class StaticTokenEmbedder:
    """Mean of per-token vectors from a table, with the model's own tokenizer."""

    def __init__(self, *, name: str, tokenizer_file: Path, weights_file: Path) -> None:
        _offline()
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        if not tokenizer_file.is_file() or not weights_file.is_file():
            raise EmbeddingModelUnavailable(f"model files of {name!r} are missing")
        self.name = name
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        tables = load_file(str(weights_file))
        table = next(iter(tables.values()))
        self._table = np.ascontiguousarray(table, dtype=np.float32)
        self.dimension = int(self._table.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_spans(texts, [[] for _ in texts])[0]

    def embed_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of whole texts and of character spans inside them (each text's spans in
        order, not overlapping), from one tokenisation: a span's vector is the mean of the
        tokens that end inside it. The mean is a sparse (rows x vocabulary) matrix times
        the table, so no (tokens x dimension) array is ever made."""
        whole = np.zeros((len(texts), self.dimension), dtype=np.float32)
        total_spans = sum(len(s) for s in spans)
        parts = np.zeros((total_spans, self.dimension), dtype=np.float32)
        vocabulary = self._table.shape[0]
        span_row = 0
        for start in range(0, len(texts), _BATCH):
            chunk = list(texts[start : start + _BATCH])
            chunk_spans = spans[start : start + _BATCH]
            encodings = self._tokenizer.encode_batch(chunk, add_special_tokens=False)
            lengths = np.array([len(e.ids) for e in encodings], dtype=np.int64)
            count = len(chunk)
            chunk_span_count = sum(len(s) for s in chunk_spans)
            if lengths.sum():
                ids = np.concatenate([np.asarray(e.ids, np.int64) for e in encodings])
                np.clip(ids, 0, vocabulary - 1, out=ids)
                owner = np.repeat(np.arange(count), lengths)
                weights = (1.0 / np.maximum(lengths, 1))[owner].astype(np.float32)
                matrix = sparse.csr_matrix((weights, (owner, ids)), shape=(count, vocabulary))
                whole[start : start + count] = matrix @ self._table
                if chunk_span_count:
                    parts[span_row : span_row + chunk_span_count] = self._span_vectors(
                        encodings, chunk, chunk_spans, ids, owner
                    )
            span_row += chunk_span_count
        return whole, parts

    def _span_vectors(
        self,
        encodings: Sequence[Any],
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        ids: np.ndarray,
        owner: np.ndarray,
    ) -> np.ndarray:
        # positions in one long string made of the texts end to end, so that every span and
        # every token has one global, sorted position
        base = np.concatenate([[0], np.cumsum([len(t) + 1 for t in texts])[:-1]]).astype(np.int64)
        # a token's last character places it (its start may be the space before a word)
        token_last = np.concatenate(
            [np.asarray([o[1] - 1 for o in e.offsets], np.int64) for e in encodings if e.ids]
            or [np.zeros(0, np.int64)]
        )
        position = token_last + base[owner]
        span_start = np.array(
            [base[i] + a for i, own in enumerate(spans) for a, _ in own], dtype=np.int64
        )
        span_end = np.array(
            [base[i] + b for i, own in enumerate(spans) for _, b in own], dtype=np.int64
        )
        index = np.searchsorted(span_start, position, side="right") - 1
        inside = (index >= 0) & (position < span_end[np.maximum(index, 0)])
        rows, columns = index[inside], ids[inside]
        sizes = np.bincount(rows, minlength=span_start.shape[0]).astype(np.float32)
        weights = 1.0 / np.maximum(sizes, 1.0)
        matrix = sparse.csr_matrix(
            (weights[rows], (rows, columns)), shape=(span_start.shape[0], self._table.shape[0])
        )
        result: np.ndarray = matrix @ self._table
        return result


def _wordllama_256() -> SentenceEmbedder:
    folder = package_folder("wordllama")
    return StaticTokenEmbedder(
        name=DEFAULT_MODEL,
        tokenizer_file=folder / "tokenizers" / "l2_supercat_tokenizer_config.json",
        weights_file=folder / "weights" / "l2_supercat_256.safetensors",
    )


MODELS: dict[str, Callable[[], SentenceEmbedder]] = {DEFAULT_MODEL: _wordllama_256}


@cache
def get_embedder(name: str = DEFAULT_MODEL) -> SentenceEmbedder:
    """The embedder called ``name`` (loaded once per process)."""
    factory = MODELS.get(name)
    if factory is None:
        raise ValueError(f"unknown text model {name!r}; known: {sorted(MODELS)}")
    return factory()


class _VectorCache:
    """Per-model vectors by text hash, least recently used dropped first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: OrderedDict[tuple[str, bytes], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, bytes]) -> np.ndarray | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple[str, bytes], value: np.ndarray) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


VECTOR_CACHE = _VectorCache(_CACHE_LIMIT)


def embed_texts(texts: Sequence[str], *, model: str = DEFAULT_MODEL) -> np.ndarray:
    """Vectors of ``texts`` (float32 rows, not normalised), each distinct text embedded once
    and kept in the per-process cache."""
    embedder = get_embedder(model)
    out = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    missing: dict[str, list[int]] = {}
    keys: dict[str, tuple[str, bytes]] = {}
    for row, text in enumerate(texts):
        key = keys.get(text)
        if key is None:
            key = (model, hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest())
            keys[text] = key
            cached = VECTOR_CACHE.get(key)
            if cached is not None:
                out[row] = cached
                continue
            missing[text] = [row]
        elif text in missing:
            missing[text].append(row)
        else:
            cached = VECTOR_CACHE.get(key)
            out[row] = cached if cached is not None else embedder.embed([text])[0]
    if missing:
        distinct = list(missing)
        vectors = embedder.embed(distinct)
        for text, vector in zip(distinct, vectors, strict=True):
            out[missing[text]] = vector
            VECTOR_CACHE.put(keys[text], vector)
    return out


def embed_with_spans(
    texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], *, model: str
) -> tuple[np.ndarray, np.ndarray]:
    """Vectors of ``texts`` and of the character spans given for each (see
    :meth:`StaticTokenEmbedder.embed_spans`); other models embed the spans' text."""
    embedder = get_embedder(model)
    spanning = getattr(embedder, "embed_spans", None)
    if spanning is not None:
        whole, parts = spanning(texts, spans)
        return whole, parts
    pieces = [text[a:b] for text, own in zip(texts, spans, strict=True) for a, b in own]
    empty = np.zeros((0, embedder.dimension), dtype=np.float32)
    return embedder.embed(texts), embedder.embed(pieces) if pieces else empty


def normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    result: np.ndarray = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return result
