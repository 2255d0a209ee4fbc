"""Theme assignment over sentence embeddings (the default; ``text_model="tfidf"`` keeps the
word-count path of :mod:`moot.analysis.engine.assignment`).

1. **Vectors.** Every analysed text, and every clause of it (answers often make one point per
   sentence or per "but"/"however" clause), is embedded (:mod:`.embeddings`). The question's
   mean vector is subtracted before normalising: static embeddings share a large common
   direction, and removing it leaves what distinguishes one answer from another.
2. **Theme vectors.** A theme's label, description and seed terms (for a discovered theme:
   its label and top terms) are embedded the same way; a theme with coded answers moves
   towards their mean (Rocchio).
3. **Similarity.** Each text's similarity to a theme is the mean of its whole-text cosine and
   its best clause's cosine.
4. **Starting labels.** With no coding, a text gets its most similar theme (when that is
   above ``semantic_min_similarity``, by default 0: closer than the question's average text)
   and every theme at least ``semantic_relative_similarity`` times as similar: relative to
   the text's best theme, so generic themes do not take everything and no text that fits a
   theme is left with none; and every theme one of whose seed terms it contains.
5. **Classifier.** Per theme, a class-balanced logistic regression over the text's vector and
   its (absolute and relative) similarities to every theme, trained on the starting labels of
   all texts (self-training) with the analyst's coded answers overriding them and weighing
   ``semantic_coded_weight`` times more. A text is assigned a theme at probability ≥ the
   theme's threshold (``assignment_threshold``, or with enough coded answers the threshold
   that maximises F1 on held-out coded answers) and always its most probable theme when it
   has three words or more and its best similarity is above the minimum.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from moot.analysis.engine.embeddings import embed_texts, embed_with_spans, normalise
from moot.analysis.engine.inputs import AnalysisParams
from moot.analysis.engine.registry import ActiveTheme
from moot.analysis.engine.results import ThemeModel

_CLAUSE_RE = re.compile(
    r"(?<=[.;!?])\s+|,\s*(?:but|however|while|whereas|although|though|yet)\s+"
    r"|\s+(?:but|however|although|whereas)\s+",
    re.IGNORECASE,
)
_MIN_CLAUSE_WORDS = 3
_MAX_TRAINING_ROWS = 6_000  # a sample this size trains as well and keeps 100k answers fast
_THRESHOLD_GRID = np.round(np.arange(0.2, 0.81, 0.05), 2)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences and contrasted clauses of ``text`` that have at
    least three words; empty when there are fewer than two such clauses."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_CLAUSE_RE.finditer(text), None]:
        end = len(text) if match is None else match.start()
        piece = text[start:end]
        stripped = piece.strip()
        if stripped and len(stripped.split()) >= _MIN_CLAUSE_WORDS:
            offset = start + (len(piece) - len(piece.lstrip()))
            spans.append((offset, offset + len(stripped)))
        if match is not None:
            start = match.end()
    return spans if len(spans) > 1 else []


def clauses(text: str) -> list[str]:
    """Sentences and contrasted clauses of ``text`` with at least three words (the text
    itself when it has none)."""
    return [text[a:b] for a, b in clause_spans(text)] or [text]


@dataclass(frozen=True, kw_only=True)
class TextVectors:
    """Centred, normalised vectors of a question's texts and their clauses."""

    texts: np.ndarray  # (n, d)
    clauses: np.ndarray  # (m, d)
    clause_owner: np.ndarray  # (m,) row in ``texts``
    mean: np.ndarray  # (d,) subtracted before normalising


def text_vectors(
    texts: Sequence[str], *, model: str, mean: np.ndarray | None = None
) -> TextVectors:
    spans = [clause_spans(text) for text in texts]
    whole, clause_raw = embed_with_spans(texts, spans, model=model)
    owners = [row for row, own in enumerate(spans) for _ in own]
    centre = whole.mean(axis=0) if mean is None and len(texts) else mean
    if centre is None:
        centre = np.zeros(whole.shape[1], dtype=np.float32)
    return TextVectors(
        texts=normalise(whole - centre),
        clauses=normalise(clause_raw - centre),
        clause_owner=np.asarray(owners, dtype=np.int64),
        mean=centre.astype(np.float32),
    )


def theme_text(theme: ActiveTheme) -> str:
    parts = [theme.label]
    if theme.description:
        parts.append(theme.description)
    if theme.seed_terms:
        parts.append(", ".join(theme.seed_terms))
    if theme.origin == "discovered" and theme.top_terms:
        parts.append(", ".join(theme.top_terms))
    return ". ".join(parts)


def similarities(vectors: TextVectors, theme_matrix: np.ndarray) -> np.ndarray:
    """Mean of whole-text and best-clause cosine, (texts, themes)."""
    whole = vectors.texts @ theme_matrix.T
    best = whole.copy()
    if vectors.clauses.shape[0]:
        clause = vectors.clauses @ theme_matrix.T
        np.maximum.at(best, vectors.clause_owner, clause)
    result: np.ndarray = ((whole + best) / 2).astype(np.float32)
    return result


def seed_term_hits(texts: Sequence[str], themes: Sequence[ActiveTheme]) -> np.ndarray:
    """(texts, themes): the text contains one of the theme's seed terms as whole words (an
    analyst's seed terms are explicit: "pick up the phone" means that phrase)."""
    hits = np.zeros((len(texts), len(themes)), dtype=bool)
    for t, theme in enumerate(themes):
        terms = [term.strip() for term in theme.seed_terms if term.strip()]
        if not terms:
            continue
        pattern = re.compile(
            r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\b", re.IGNORECASE
        )
        hits[:, t] = [pattern.search(text) is not None for text in texts]
    return hits


def starting_labels(
    similarity: np.ndarray, params: AnalysisParams, seed_hits: np.ndarray | None = None
) -> np.ndarray:
    if similarity.shape[1] == 0:
        return np.zeros(similarity.shape, dtype=bool)
    top = similarity.max(axis=1, keepdims=True)
    fits = top > params.semantic_min_similarity
    labels: np.ndarray = (similarity >= top * params.semantic_relative_similarity) & fits
    if seed_hits is not None:
        labels |= seed_hits
    return labels


@dataclass(frozen=True, kw_only=True)
class SemanticProbabilities:
    probabilities: np.ndarray  # (texts, themes)
    thresholds: np.ndarray  # (themes,)
    assigned: np.ndarray  # (texts, themes) bool
    models: tuple[ThemeModel, ...]
    coded_positive_counts: tuple[int, ...]
    features: np.ndarray  # (texts, d) the centred text vectors, for stance and evidence


def _features(vectors: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    top = similarity.max(axis=1, keepdims=True) if similarity.shape[1] else similarity
    relative = np.divide(similarity, top, out=np.zeros_like(similarity), where=np.abs(top) > 1e-6)
    return np.hstack([vectors, similarity, relative]).astype(np.float32)


def _fit(
    features: np.ndarray, labels: np.ndarray, weights: np.ndarray, seed: int
) -> LogisticRegression | None:
    if labels.all() or not labels.any():
        return None
    model = LogisticRegression(
        C=0.5, class_weight="balanced", max_iter=300, tol=1e-3, random_state=seed
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(features, labels, sample_weight=weights)
    return model


def _best_threshold(scores: np.ndarray, truth: np.ndarray, default: float) -> float:
    best, best_f1 = default, -1.0
    for threshold in _THRESHOLD_GRID:
        predicted = scores >= threshold
        tp = float((predicted & truth).sum())
        f1 = 2 * tp / (predicted.sum() + truth.sum()) if predicted.sum() + truth.sum() else 0.0
        # ties go to the threshold nearest the default
        if f1 > best_f1 + 1e-9 or (
            abs(f1 - best_f1) <= 1e-9 and abs(threshold - default) < abs(best - default)
        ):
            best, best_f1 = float(threshold), f1
    return best


def semantic_probabilities(
    *,
    texts: Sequence[str],
    themes: Sequence[ActiveTheme],
    coded_texts: Sequence[str],
    coded_labels: np.ndarray,
    params: AnalysisParams,
) -> SemanticProbabilities:
    """Probability and decision of each theme for each analysed text.

    ``coded_texts`` are the hand-coded answers and ``coded_labels`` a boolean
    ``(coded, themes)`` matrix of their themes.
    """
    model = params.text_model
    vectors = text_vectors(texts, model=model)
    units, count = len(texts), len(themes)
    empty = np.zeros((units, count), dtype=np.float32)
    if units == 0 or count == 0:
        return SemanticProbabilities(
            probabilities=empty,
            thresholds=np.full(count, params.assignment_threshold, dtype=np.float32),
            assigned=empty.astype(bool),
            models=tuple("similarity" for _ in range(count)),
            coded_positive_counts=(0,) * count,
            features=vectors.texts,
        )
    coded = text_vectors(coded_texts, model=model, mean=vectors.mean) if coded_texts else None
    theme_raw = embed_texts([theme_text(t) for t in themes], model=model)
    theme_matrix = normalise(theme_raw - vectors.mean)
    positives = coded_labels.sum(axis=0).astype(int) if coded_labels.size else np.zeros(count, int)
    if coded is not None:
        for t in range(count):
            if positives[t]:
                centroid = normalise(coded.texts[coded_labels[:, t]].mean(axis=0, keepdims=True))[0]
                shift = min(1.0, positives[t] / max(1, params.min_positive_examples))
                theme_matrix[t] = theme_matrix[t] + shift * centroid
        theme_matrix = normalise(theme_matrix)
    similarity = similarities(vectors, theme_matrix)
    start = starting_labels(similarity, params, seed_term_hits(texts, themes))
    features = _features(vectors.texts, similarity)
    rng = np.random.default_rng(params.seed)
    rows = np.arange(units)
    if units > _MAX_TRAINING_ROWS:
        rows = np.sort(rng.choice(units, size=_MAX_TRAINING_ROWS, replace=False))
    train_x, train_y = features[rows], start[rows]
    weights = np.ones(rows.shape[0], dtype=np.float32)
    coded_x = np.zeros((0, features.shape[1]), dtype=np.float32)
    if coded is not None:
        coded_x = _features(coded.texts, similarities(coded, theme_matrix))
        train_x = np.vstack([train_x, coded_x])
        train_y = np.vstack([train_y, coded_labels])
        weights = np.concatenate(
            [weights, np.full(coded_x.shape[0], params.semantic_coded_weight, np.float32)]
        )
    probabilities = np.zeros((units, count), dtype=np.float32)
    thresholds = np.full(count, params.assignment_threshold, dtype=np.float32)
    negatives = coded_labels.shape[0] - positives
    for t in range(count):
        fitted = _fit(train_x, train_y[:, t], weights, params.seed)
        if fitted is None:
            probabilities[:, t] = np.where(start[:, t], 1.0, 0.0)
            continue
        probabilities[:, t] = fitted.predict_proba(features)[:, 1]
        if (
            coded is not None
            and positives[t] >= params.min_positive_examples
            and negatives[t] >= params.min_positive_examples
        ):
            thresholds[t] = _held_out_threshold(
                train_x, train_y[:, t], weights, coded_x.shape[0], params
            )
    assigned = probabilities >= thresholds
    best = probabilities.argmax(axis=1)
    # every text of a few words whose best theme is closer than the question's average text
    # keeps that theme: no answer is left without a theme when one fits
    words = np.array([len(text.split()) for text in texts])
    fitting = np.flatnonzero(
        (similarity.max(axis=1) > params.semantic_min_similarity) & (words >= _MIN_CLAUSE_WORDS)
    )
    assigned[fitting, best[fitting]] = True
    models: list[ThemeModel] = [
        "classifier"
        if positives[t] >= params.min_positive_examples
        else ("blend" if positives[t] else "similarity")
        for t in range(count)
    ]
    return SemanticProbabilities(
        probabilities=probabilities,
        thresholds=thresholds,
        assigned=assigned,
        models=tuple(models),
        coded_positive_counts=tuple(int(p) for p in positives),
        features=vectors.texts,
    )


def _held_out_threshold(
    train_x: np.ndarray,
    train_y: np.ndarray,
    weights: np.ndarray,
    coded_count: int,
    params: AnalysisParams,
) -> float:
    """The threshold that maximises F1 on coded answers predicted by models trained without
    them (two folds)."""
    first_coded = train_x.shape[0] - coded_count
    coded_rows = np.arange(first_coded, train_x.shape[0])
    rng = np.random.default_rng(params.seed + 1)
    fold = rng.permutation(coded_count) % 2
    scores = np.zeros(coded_count, dtype=np.float32)
    for part in (0, 1):
        held = coded_rows[fold == part]
        keep = np.ones(train_x.shape[0], dtype=bool)
        keep[held] = False
        fitted = _fit(train_x[keep], train_y[keep], weights[keep], params.seed)
        if fitted is None:
            return params.assignment_threshold
        scores[fold == part] = fitted.predict_proba(train_x[held])[:, 1]
    return _best_threshold(scores, train_y[coded_rows], params.assignment_threshold)
