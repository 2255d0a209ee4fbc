"""Stance (agree / disagree / unclear) for free-text questions that ask whether people agree.

The respondent's own answer to the paired agreement-scale question, when given, decides.
Otherwise a text model decides: one-vs-rest logistic regression on the question's TF-IDF
features plus lexical cue counts (which handle negation such as "I do not support"), trained
on the texts whose authors also gave a closed answer and on the analyst's stance coding;
without any such labels, the lexical cues alone. A text-model prediction below
``stance_min_confidence`` is reported as unclear. A closed answer that the text model
contradicts with high confidence is flagged as a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from moot.analysis.engine.inputs import Stance
from moot.analysis.engine.results import StanceSource

_WORD_RE = re.compile(r"[a-z']+")
_AGREE_WORDS = frozenset(
    {
        "agree",
        "support",
        "supports",
        "welcome",
        "favour",
        "favor",
        "sensible",
        "yes",
        "endorse",
        "back",
        "necessary",
        "essential",
        "beneficial",
        "overdue",
        "welcomed",
        "agreed",
        "supportive",
    }
)
_DISAGREE_WORDS = frozenset(
    {
        "disagree",
        "oppose",
        "object",
        "mistake",
        "backwards",
        "backward",
        "dropped",
        "against",
        "no",
        "reject",
        "scrap",
        "excessive",
        "overreach",
        "unnecessary",
        "unjustified",
        "counterproductive",
        "misguided",
        "opposed",
        "unfair",
        "disproportionate",
    }
)
_NEGATIONS = frozenset(
    {"not", "don't", "doesn't", "cannot", "can't", "never", "nor", "t", "no", "hardly", "isn't"}
)
_AGREE_PAIRS = frozenset({("makes", "sense"), ("right", "way"), ("good", "idea")})
_DISAGREE_PAIRS = frozenset({("not", "convinced"), ("bad", "idea"), ("step", "backwards")})
_CUE_WORDS = (
    _AGREE_WORDS
    | _DISAGREE_WORDS
    | {w for pair in _AGREE_PAIRS | _DISAGREE_PAIRS for w in pair[1:]}
)
STANCES = (Stance.AGREE, Stance.DISAGREE, Stance.UNCLEAR)


@dataclass(frozen=True, kw_only=True)
class StanceDecision:
    stance: Stance
    confidence: float
    source: StanceSource
    conflict: bool = False


def lexical_cues(text: str) -> tuple[int, int]:
    """Number of agreeing and of disagreeing cues in ``text``; a negated agreement ("I do
    not support", "I don't agree") counts as disagreement."""
    words = _WORD_RE.findall(text.lower())
    if _CUE_WORDS.isdisjoint(words):
        return 0, 0
    agree = disagree = 0
    for index, word in enumerate(words):
        before = words[max(0, index - 3) : index]
        negated = any(w in _NEGATIONS for w in before)
        if word in _AGREE_WORDS:
            if negated:
                disagree += 1
            elif word != "back" or (before and before[-1] in ("i", "we")):
                agree += 1
        elif word in _DISAGREE_WORDS:
            # "not excessive", "I don't oppose": a negated objection leans towards agreement
            if negated and word not in ("no", "against"):
                agree += 1
            else:
                disagree += 1
        elif index:
            pair = (words[index - 1], word)
            if pair in _AGREE_PAIRS:
                agree += 1
            elif pair in _DISAGREE_PAIRS:
                disagree += 1
    return agree, disagree


def lexical_stance(text: str) -> tuple[Stance, float]:
    agree, disagree = lexical_cues(text)
    if agree == disagree:
        return Stance.UNCLEAR, 0.5
    stance = Stance.AGREE if agree > disagree else Stance.DISAGREE
    return stance, min(0.9, 0.55 + 0.15 * abs(agree - disagree))


def stance_features(
    matrix: np.ndarray | sparse.csr_matrix, texts: Sequence[str]
) -> np.ndarray | sparse.csr_matrix:
    """Features of the text stance model: the question's text rows (sentence vectors or TF-IDF)
    plus negation-aware lexical cue counts."""
    cues = np.array([lexical_cues(t) for t in texts], dtype=np.float32).reshape(-1, 2)
    if isinstance(matrix, np.ndarray):
        return np.hstack([matrix, cues]).astype(np.float32)
    return sparse.hstack([sparse.csr_matrix(matrix), sparse.csr_matrix(cues)], "csr")


class TextStanceModel:
    """Text-only stance model: learned when labels are available, lexical cues otherwise."""

    def __init__(self, *, seed: int = 0, max_training_texts: int = 5_000) -> None:
        self.seed = seed
        self.max_training_texts = max_training_texts
        self._model: OneVsRestClassifier | None = None

        self._self_trained = False

    @property
    def name(self) -> str:
        if self._model is None:
            return "lexical"
        return "self-trained+lexical" if self._self_trained else "learned+lexical"

    @property
    def learned(self) -> bool:
        return self._model is not None

    def fit(
        self,
        features: np.ndarray | sparse.csr_matrix,
        labels: Sequence[Stance],
        *,
        all_features: np.ndarray | sparse.csr_matrix | None = None,
        all_texts: Sequence[str] = (),
    ) -> TextStanceModel:
        """Learn from ``features`` (see :func:`stance_features`) and their stance labels.

        With too few labels, and ``all_features``/``all_texts`` given, learn instead from the
        texts whose lexical cues are clear (self-training): the model then carries what the
        cues say onto answers that use other words for the same thing.
        """
        if features.shape[0] < 10 or len(set(labels)) < 2:
            if all_features is None or not all_texts:
                return self
            guesses = [lexical_stance(t) for t in all_texts]
            clear = [i for i, (s, c) in enumerate(guesses) if s is not Stance.UNCLEAR and c >= 0.7]
            pseudo = [guesses[i][0] for i in clear]
            if min(pseudo.count(Stance.AGREE), pseudo.count(Stance.DISAGREE)) < 5:
                return self
            self.fit(all_features[clear], pseudo)
            self._self_trained = self._model is not None
            return self
        rows = np.arange(features.shape[0])
        if rows.shape[0] > self.max_training_texts:
            rng = np.random.default_rng(self.seed)
            rows = np.sort(rng.choice(rows, size=self.max_training_texts, replace=False))
        self._model = OneVsRestClassifier(
            LogisticRegression(
                C=2.0,
                solver="liblinear",
                max_iter=300,
                random_state=self.seed,
                class_weight="balanced",
            )
        )
        self._model.fit(features[rows], [labels[i].value for i in rows.tolist()])
        return self

    def predict(
        self, features: sparse.csr_matrix, texts: Sequence[str]
    ) -> list[tuple[Stance, float]]:
        if not texts:
            return []
        if self._model is None:
            return [lexical_stance(t) for t in texts]
        probabilities = self._model.predict_proba(features)
        classes = [Stance(c) for c in self._model.classes_]
        best = probabilities.argmax(axis=1)
        return [(classes[int(b)], float(probabilities[i, int(b)])) for i, b in enumerate(best)]


def decide_stances(
    *,
    predictions: Sequence[tuple[Stance, float]],
    closed: Sequence[Stance | None],
    coded: Sequence[Stance | None],
    min_confidence: float,
) -> list[StanceDecision]:
    """Combine coded stance, closed answers and text predictions, one decision per response."""
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
