"""Assigning answers to themes (multi-label, with a confidence each).

Every theme has a term vector in the question's TF-IDF space (its discovered signature, seed
terms and description, or the merge of several). Cosine similarity to it is the unsupervised
score. Then, per theme, by how many answers the analyst coded with it:

* at least ``min_positive_examples`` positive and negative examples: a logistic regression
  (one-vs-rest, balanced class weights) on TF-IDF features plus the similarity scores to all
  themes, optionally refined by one round of self-training on its most confident predictions
  among uncoded texts (``classifier``);
* some positives but fewer: the theme vector is moved towards the coded positives and the
  similarity is mapped to a probability (``blend``);
* none: the similarity alone is mapped to a probability (``similarity``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from moot.analysis.engine.inputs import AnalysisParams
from moot.analysis.engine.registry import ActiveTheme
from moot.analysis.engine.results import ThemeModel

_SIMILARITY_SCALE = 0.03
_SIMILARITY_FEATURE_WEIGHT = 2.0


@dataclass(frozen=True, kw_only=True)
class ThemeProbabilities:
    probabilities: np.ndarray  # (units, themes)
    models: tuple[ThemeModel, ...]
    coded_positive_counts: tuple[int, ...]


def theme_vectors(
    themes: Sequence[ActiveTheme], vectorizer: TfidfVectorizer | None, width: int
) -> sparse.csr_matrix:
    """One L2-normalised row per theme in the vectoriser's vocabulary."""
    rows = np.zeros((len(themes), width), dtype=np.float32)
    if vectorizer is None or width == 0:
        return sparse.csr_matrix(rows)
    vocabulary: dict[str, int] = vectorizer.vocabulary_
    analyse: Callable[[str], list[str]] = vectorizer.build_analyzer()
    for row, theme in enumerate(themes):
        for term, weight in theme.signature.items():
            for piece in [term, *analyse(term)]:
                column = vocabulary.get(piece)
                if column is not None:
                    rows[row, column] += weight
        for seed in theme.seed_terms:
            for piece in analyse(seed):
                column = vocabulary.get(piece)
                if column is not None:
                    rows[row, column] += 1.0
        for piece in analyse(theme.description):
            column = vocabulary.get(piece)
            if column is not None:
                rows[row, column] += 0.5
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    np.divide(rows, norms, out=rows, where=norms > 0)
    return sparse.csr_matrix(rows)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(values, -30, 30)))
    return result


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    result: np.ndarray = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return result


def assign_probabilities(
    *,
    unit_matrix: sparse.csr_matrix,
    theme_matrix: sparse.csr_matrix,
    coded_matrix: sparse.csr_matrix,
    coded_labels: np.ndarray,
    params: AnalysisParams,
) -> ThemeProbabilities:
    """Probability of each theme for each analysed text.

    ``coded_matrix`` holds the TF-IDF rows of hand-coded answers and ``coded_labels`` a boolean
    ``(coded, themes)`` matrix of their themes.
    """
    units, theme_count = unit_matrix.shape[0], theme_matrix.shape[0]
    probabilities = np.zeros((units, theme_count), dtype=np.float32)
    if units == 0 or theme_count == 0:
        return ThemeProbabilities(
            probabilities=probabilities,
            models=("similarity",) * theme_count,
            coded_positive_counts=(0,) * theme_count,
        )
    theme_dense = theme_matrix.toarray()
    positives = (
        coded_labels.sum(axis=0).astype(int)
        if coded_labels.size
        else np.zeros(theme_count, dtype=int)
    )
    negatives = coded_labels.shape[0] - positives
    # themes with some coded positives move towards them
    for t in range(theme_count):
        if positives[t] > 0:
            centroid = np.asarray(coded_matrix[coded_labels[:, t]].mean(axis=0)).ravel()
            shift = min(1.0, positives[t] / params.min_positive_examples)
            theme_dense[t] = theme_dense[t] + shift * centroid / (np.linalg.norm(centroid) or 1.0)
    theme_dense = _normalise_rows(theme_dense.astype(np.float32))
    similarity = np.asarray(unit_matrix @ theme_dense.T, dtype=np.float32)
    coded_similarity = np.asarray(coded_matrix @ theme_dense.T, dtype=np.float32)
    threshold = params.unsupervised_similarity_threshold
    probabilities[:] = _sigmoid((similarity - threshold) / _SIMILARITY_SCALE)
    models: list[ThemeModel] = [
        "blend" if positives[t] > 0 else "similarity" for t in range(theme_count)
    ]
    trainable = [
        t
        for t in range(theme_count)
        if positives[t] >= params.min_positive_examples
        and negatives[t] >= params.min_positive_examples
    ]
    if trainable:
        features = sparse.hstack(
            [unit_matrix, sparse.csr_matrix(similarity * _SIMILARITY_FEATURE_WEIGHT)], "csr"
        )
        coded_features = sparse.hstack(
            [coded_matrix, sparse.csr_matrix(coded_similarity * _SIMILARITY_FEATURE_WEIGHT)],
            "csr",
        )
        for t in trainable:
            probabilities[:, t] = _classifier(coded_features, coded_labels[:, t], features, params)
            models[t] = "classifier"
    return ThemeProbabilities(
        probabilities=probabilities,
        models=tuple(models),
        coded_positive_counts=tuple(int(p) for p in positives),
    )


def _fit(features: sparse.csr_matrix, labels: np.ndarray, seed: int) -> LogisticRegression:
    model = LogisticRegression(
        C=4.0, class_weight="balanced", solver="liblinear", random_state=seed, max_iter=1000
    )
    model.fit(features, labels)
    return model


def _classifier(
    coded: sparse.csr_matrix,
    labels: np.ndarray,
    features: sparse.csr_matrix,
    params: AnalysisParams,
) -> np.ndarray:
    model = _fit(coded, labels, params.seed)
    scores: np.ndarray = model.predict_proba(features)[:, 1]
    for _ in range(params.self_training_rounds):
        size = min(params.self_training_size, features.shape[0] // 4)
        if size < 10:
            break
        order = np.argsort(-scores, kind="stable")
        confident_positive = order[: size // 4][scores[order[: size // 4]] >= 0.9]
        confident_negative = order[::-1][:size][scores[order[::-1][:size]] <= 0.1]
        if confident_positive.shape[0] < 5:
            break
        pseudo = np.concatenate([confident_positive, confident_negative])
        pseudo_labels = np.concatenate(
            [
                np.ones(confident_positive.shape[0], bool),
                np.zeros(confident_negative.shape[0], bool),
            ]
        )
        model = _fit(
            sparse.vstack([coded, features[pseudo]], "csr"),
            np.concatenate([labels, pseudo_labels]),
            params.seed,
        )
        scores = model.predict_proba(features)[:, 1]
    return scores.astype(np.float32)


def review_uncertainty(probabilities: np.ndarray, threshold: float | np.ndarray) -> np.ndarray:
    """1 for an answer with a theme probability exactly at its threshold (one for all themes
    or one per theme), 0 when every probability is 0 or 1."""
    if probabilities.shape[1] == 0:
        return np.ones(probabilities.shape[0], dtype=np.float32)
    thresholds = np.broadcast_to(np.asarray(threshold, dtype=np.float32), probabilities.shape[1:])
    distance = np.abs(probabilities - thresholds) / np.maximum(thresholds, 1 - thresholds)
    result: np.ndarray = 1.0 - distance.min(axis=1)
    return result
