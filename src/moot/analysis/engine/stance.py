"""Stance (agree / disagree / unclear) for free-text questions that ask whether people agree.

The respondent's own answer to the paired agreement-scale question, when given, decides.
Otherwise a text model decides: a logistic regression on word unigram and bigram TF-IDF (stop words
kept, since "not" matters) plus lexical cue counts, trained on the texts whose authors also
gave a closed answer and on the analyst's stance coding; without any such labels, the lexical
cues alone. A text-model prediction below ``stance_min_confidence`` is reported as unclear.
A closed answer that the text model contradicts with high confidence is flagged as a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from moot.analysis.engine.inputs import Stance

_AGREE_CUES = re.compile(
    r"\b(?:agree|support|welcome|favour|sensible|makes? sense|right way|good idea)\b|^yes\b"
)
_NEGATED_CUES = re.compile(r"\b(?:not|n't|never) (?:\w+ )?(?:agree|support|welcome|favour)\b")
_DISAGREE_CUES = re.compile(
    r"\b(?:disagree|oppose|object|mistake|backwards?|dropped|against|not convinced|bad idea)\b"
    r"|^no\b"
)
STANCES = (Stance.AGREE, Stance.DISAGREE, Stance.UNCLEAR)


@dataclass(frozen=True, kw_only=True)
class StanceDecision:
    stance: Stance
    confidence: float
    source: str
    conflict: bool = False


def lexical_cues(text: str) -> tuple[int, int]:
    """Number of agreeing and of disagreeing cues in ``text``; a negated agreement ("I do
    not support") counts as disagreement."""
    lowered = text.lower()
    negated = len(_NEGATED_CUES.findall(lowered))
    agree = len(_AGREE_CUES.findall(lowered)) - negated
    return max(agree, 0), len(_DISAGREE_CUES.findall(lowered)) + negated


def lexical_stance(text: str) -> tuple[Stance, float]:
    agree, disagree = lexical_cues(text)
    if agree == disagree:
        return Stance.UNCLEAR, 0.5
    stance = Stance.AGREE if agree > disagree else Stance.DISAGREE
    return stance, min(0.9, 0.55 + 0.15 * abs(agree - disagree))


class TextStanceModel:
    """Text-only stance model (learned when labels are available, lexical otherwise)."""

    def __init__(self, *, seed: int = 0) -> None:
        self.seed = seed
        self._vectorizer: TfidfVectorizer | None = None
        self._model: LogisticRegression | None = None

    @property
    def name(self) -> str:
        return "learned+lexical" if self._model is not None else "lexical"

    def _features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        assert self._vectorizer is not None  # noqa: S101 - internal invariant
        cues = np.array([lexical_cues(t) for t in texts], dtype=np.float32).reshape(-1, 2)
        return sparse.hstack([self._vectorizer.transform(texts), sparse.csr_matrix(cues)], "csr")

    def fit(self, texts: Sequence[str], labels: Sequence[Stance]) -> TextStanceModel:
        present = set(labels)
        if len(texts) < 10 or len(present) < 2:
            return self
        self._vectorizer = TfidfVectorizer(
            ngram_range=(1, 3),
            min_df=2,
            sublinear_tf=True,
            max_features=50_000,
            dtype=np.float32,
        )
        try:
            self._vectorizer.fit(texts)
        except ValueError:
            self._vectorizer = None
            return self
        self._model = LogisticRegression(C=4.0, max_iter=2000, random_state=self.seed)
        self._model.fit(self._features(texts), [label.value for label in labels])
        return self

    def predict(self, texts: Sequence[str]) -> list[tuple[Stance, float]]:
        if not texts:
            return []
        if self._model is None:
            return [lexical_stance(t) for t in texts]
        probabilities = self._model.predict_proba(self._features(texts))
        classes = [Stance(c) for c in self._model.classes_]
        best = probabilities.argmax(axis=1)
        return [(classes[int(b)], float(probabilities[i, int(b)])) for i, b in enumerate(best)]


def decide_stances(
    *,
    texts: Sequence[str],
    closed: Sequence[Stance | None],
    coded: Sequence[Stance | None],
    model: TextStanceModel,
    min_confidence: float,
) -> list[StanceDecision]:
    """Combine coded stance, closed answers and the text model, one decision per text."""
    predictions = model.predict(texts)
    decisions: list[StanceDecision] = []
    for (predicted, confidence), closed_stance, coded_stance in zip(
        predictions, closed, coded, strict=True
    ):
        if coded_stance is not None:
            decisions.append(StanceDecision(stance=coded_stance, confidence=1.0, source="coded"))
        elif closed_stance is not None:
            conflict = (
                closed_stance is not Stance.UNCLEAR
                and predicted not in (closed_stance, Stance.UNCLEAR)
                and confidence >= 0.8
            )
            decisions.append(
                StanceDecision(
                    stance=closed_stance, confidence=1.0, source="closed_answer", conflict=conflict
                )
            )
        elif confidence < min_confidence:
            decisions.append(
                StanceDecision(
                    stance=Stance.UNCLEAR, confidence=round(confidence, 4), source="text"
                )
            )
        else:
            decisions.append(
                StanceDecision(stance=predicted, confidence=round(confidence, 4), source="text")
            )
    return decisions
