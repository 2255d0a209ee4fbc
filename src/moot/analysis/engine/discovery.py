"""Unsupervised discovery of candidate themes in the answers to one free-text question.

Method: TF-IDF on word unigrams and bigrams (English stop words removed, sublinear term
frequency), then non-negative matrix factorisation (NMF) with the deterministic NNDSVD-A
start. NMF gives additive, readable topics: each has a weight per term (its top terms and a
label come from these) and a weight per answer (its representative quotes and size come from
these). Components that are the main topic of fewer than ``min_theme_size`` answers are dropped.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer

from moot.analysis.engine.inputs import AnalysisParams
from moot.analysis.engine.stopwords import STOP_WORDS


@dataclass(frozen=True, kw_only=True)
class DiscoveredTheme:
    label: str
    top_terms: tuple[str, ...]
    signature: dict[str, float]
    representative_units: tuple[int, ...]
    size: int


_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")
_STOP_WORDS = STOP_WORDS
_PHRASE_WORD_RE = re.compile(r"(?u)\b\w[\w'-]*\b")
# words that may join two content words inside a label ("cost of living", "care and support")
_JOINERS = frozenset({"of", "and", "for", "in", "to", "on"})


def analyse_text(text: str) -> list[str]:
    """Unigrams and bigrams of lower-cased words of two or more characters, stop words of the
    usual languages removed (bigrams join words that are adjacent once stop words are gone)."""
    words = [w for w in _TOKEN_RE.findall(text.lower()) if w not in _STOP_WORDS]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def make_vectorizer(texts: Sequence[str]) -> tuple[TfidfVectorizer, sparse.csr_matrix]:
    """Fit the question's TF-IDF vectoriser on its analysed texts; returns it and the matrix."""
    vectorizer = TfidfVectorizer(
        analyzer=analyse_text,
        min_df=2 if len(texts) >= 50 else 1,
        max_df=0.5 if len(texts) >= 20 else 1.0,
        sublinear_tf=True,
        max_features=30_000,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words (or nothing at all)
        vectorizer = TfidfVectorizer(analyzer=analyse_text, dtype=np.float32)
        try:
            matrix = vectorizer.fit_transform([*texts, "empty"])[:-1]
        except ValueError:
            matrix = sparse.csr_matrix((len(texts), 0), dtype=np.float32)
    return vectorizer, sparse.csr_matrix(matrix)


def readable_label(terms: Sequence[str]) -> str:
    """A short label from top terms: the best bigram (or term) and one more distinct term."""
    if not terms:
        return "Unlabelled theme"
    head = next((t for t in terms[:5] if " " in t), terms[0])
    used = set(head.split())
    extra = next((t for t in terms if not set(t.split()) & used), None)
    label = head if extra is None else f"{head} / {extra}"
    return label[0].upper() + label[1:]


def _phrases(text: str) -> list[tuple[tuple[str, ...], str]]:
    """Runs of one to four words with no stop word at either end (a joiner such as "of" may
    sit inside), lower-cased, each with its words as written, from one text."""
    written = _PHRASE_WORD_RE.findall(text)
    words = [w.lower() for w in written]
    found: list[tuple[tuple[str, ...], str]] = []
    for start, word in enumerate(words):
        if word in _STOP_WORDS or len(word) < 3 or word.isdigit():
            continue
        for end in range(start + 1, min(start + 4, len(words)) + 1):
            run = words[start:end]
            last = run[-1]
            if last in _STOP_WORDS or len(last) < 3 or last.isdigit():
                if last in _JOINERS:
                    continue
                break
            if any(w in _STOP_WORDS and w not in _JOINERS for w in run):
                break
            found.append((tuple(run), " ".join(written[start:end])))
    return found


def phrase_label(
    *, texts: Sequence[str], weights: dict[str, float], fallback: Sequence[str]
) -> str:
    """A label a person would write: the phrase of the theme's representative answers that
    best covers its weighted terms (each word's weight, summed, times how many answers use the
    phrase; longer phrases must earn their extra words). Falls back to :func:`readable_label`."""
    counts: dict[tuple[str, ...], int] = {}
    surface: dict[tuple[str, ...], dict[str, int]] = {}
    for text in texts:
        seen: set[tuple[str, ...]] = set()
        for phrase, as_written in _phrases(text):
            forms = surface.setdefault(phrase, {})
            forms[as_written] = forms.get(as_written, 0) + 1
            if phrase not in seen:
                seen.add(phrase)
                counts[phrase] = counts.get(phrase, 0) + 1
    best: tuple[float, tuple[str, ...]] | None = None
    for phrase, count in counts.items():
        if count < 2:
            continue
        content = [w for w in phrase if w not in _STOP_WORDS]
        score = sum(weights.get(w, 0.0) for w in content) * count
        score += weights.get(" ".join(content[:2]), 0.0) * count if len(content) >= 2 else 0.0
        score /= 1.0 + 0.35 * (len(phrase) - 1)
        if score <= 0:
            continue
        key = (score, phrase)
        if best is None or key > best:
            best = key
    if best is None:
        return readable_label(fallback)
    # as most answers write it ("Italy and Australia"), lower-cased only at sentence starts
    forms = surface[best[1]]
    label = min(forms, key=lambda form: (-forms[form], form.isupper(), form))
    later = [w for w in label.split()[1:] if w.lower() not in _JOINERS]
    if label[0].isupper() and later and all(w[:1].islower() for w in later):
        label = " ".join(best[1])
    return label[0].upper() + label[1:]


def discover_themes(
    *,
    matrix: sparse.csr_matrix,
    vocabulary: Sequence[str],
    params: AnalysisParams,
    texts: Sequence[str] = (),
) -> list[DiscoveredTheme]:
    """Candidate themes from a question's TF-IDF ``matrix`` (rows: analysed texts).

    NMF is fitted on at most ``discovery_sample_size`` rows picked with ``params.seed``.
    """
    rows, columns = matrix.shape
    if rows < max(2, params.min_theme_size) or columns < 2:
        return []
    rng = np.random.default_rng(params.seed)
    if rows > params.discovery_sample_size:
        sample = np.sort(rng.choice(rows, size=params.discovery_sample_size, replace=False))
    else:
        sample = np.arange(rows)
    fit_matrix = matrix[sample]
    keep_rows = np.asarray(fit_matrix.sum(axis=1)).ravel() > 0
    sample, fit_matrix = sample[keep_rows], fit_matrix[keep_rows]
    components = min(params.max_themes_per_question, fit_matrix.shape[0] - 1, columns - 1)
    if components < 1:
        return []
    model = NMF(
        n_components=components,
        init="nndsvda",
        max_iter=300,
        random_state=params.seed,
        tol=1e-4,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(fit_matrix)
    topics = model.components_
    totals = weights.sum(axis=1, keepdims=True)
    shares = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
    dominant = np.where(totals.ravel() > 0, shares.argmax(axis=1), -1)
    themes: list[DiscoveredTheme] = []
    for index in range(components):
        members = np.flatnonzero((dominant == index) & (shares[:, index] >= 0.3))
        if members.shape[0] < params.min_theme_size:
            continue
        order = np.argsort(-topics[index], kind="stable")
        top = [int(i) for i in order[: params.signature_terms] if topics[index, i] > 0]
        if not top:
            continue
        norm = float(np.sqrt(np.sum(topics[index, top] ** 2)))
        signature = {vocabulary[i]: round(float(topics[index, i]) / norm, 5) for i in top}
        terms = tuple(vocabulary[i] for i in top[: params.top_terms_per_theme])
        strongest = members[np.argsort(-weights[members, index], kind="stable")]
        representative = tuple(int(sample[i]) for i in strongest[:20])
        label = (
            phrase_label(
                texts=[texts[i] for i in representative], weights=signature, fallback=terms
            )
            if texts
            else readable_label(terms)
        )
        themes.append(
            DiscoveredTheme(
                label=label,
                top_terms=terms,
                signature=signature,
                representative_units=representative,
                size=int(members.shape[0]),
            )
        )
    return themes
