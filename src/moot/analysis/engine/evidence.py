"""Answers that bring evidence: figures, sources, lived experience or an organisation's own
data. Analysts read these first; the review pages filter on them.

Without the analyst's flags, cue patterns decide (each names what kind of evidence it found).
Once analysts have flagged at least ``min_positive_examples`` answers each way, a
class-balanced logistic regression over the answer's vector (sentence embedding or TF-IDF)
and the four cue counts decides instead, so what this department counts as evidence is
learnt; the kinds shown still come from the cues.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from moot.analysis.engine.inputs import AnalysisParams

_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|a third|a quarter|half)"
CUES: dict[str, re.Pattern[str]] = {
    "figures": re.compile(
        r"\d+(?:[.,]\d+)?\s?(?:%|per ?cent\b|percent\b)"
        r"|[£$€]\s?\d"
        r"|\b\d{1,3}(?:,\d{3})+\b"
        r"|\b(?!(?:19|20)\d{2}\b)\d{3,}\b"
        r"|\b\d+ (?:times|people|patients|pupils|children|families|cases|calls|hours|days|weeks"
        r"|a (?:week|day|month|year)|per (?:week|day|month|year))\b"
        r"|\b\d+(?:\.\d+)?\s?(?:million|billion|thousand|bn)\b"
        r"|\b(?:\d+|"
        + _NUMBER_WORDS
        + r") (?:out of|in) (?:\d+|every|ten|five|four|three|a hundred)\b"
        r"|\b(?:doubled|tripled|halved|trebled)\b",
        re.IGNORECASE,
    ),
    "sources": re.compile(
        r"\baccording to\b"
        r"|\b(?:study|studies|research|report|reports|survey|statistics|data|evidence|analysis"
        r"|review|audit|inquiry|census|figures|trials?)\s+(?:shows?|showed|shown|found|finds"
        r"|suggests?|suggested|indicates?|indicated|from|by|published|has shown|have shown)\b"
        r"|\bpublished\b|\bpeer[- ]reviewed\b|\bjournal\b|\buniversity of\b|\bet al\b"
        r"|https?://|\bwww\.|\(\d{4}\)",
        re.IGNORECASE,
    ),
    "experience": re.compile(
        r"\bas an? (?:parent|mother|father|teacher|nurse|doctor|gp|carer|social worker|coach"
        r"|student|resident|someone|person|former|recovering|police|counsellor|volunteer"
        r"|pensioner|grandparent|business owner)"
        r"|\bin my (?:experience|work|job|role|practice|family|school|area|community|career)\b"
        r"|\bi(?: have|'ve) (?:seen|worked|witnessed|experienced|lost|struggled|been|lived"
        r"|watched|had)\b"
        r"|\bi work(?:ed)? (?:as|in|at|with|for)\b"
        r"|\bmy (?:son|daughter|brother|sister|husband|wife|partner|father|mother|dad|mum"
        r"|friend|family|child|children|own|patients|pupils|clients)\b"
        r"|\bfirst[- ]?hand\b|\bwhen i was\b|\bi myself\b",
        re.IGNORECASE,
    ),
    "organisation": re.compile(
        r"\bour (?:members|organisation|organization|charity|company|clients|service users|data"
        r"|research|survey|staff|customers|figures|records|helpline|caseworkers|casework)\b"
        r"|\bwe (?:surveyed|represent|found|commissioned|collected|recorded|supported|work with"
        r"|have seen|see)\b"
        r"|\bon behalf of\b",
        re.IGNORECASE,
    ),
}
KINDS = tuple(CUES)
# a pattern can only match a text holding one of these (checked first: most answers hold
# none, and a set lookup is far cheaper than the pattern)
_FIGURE_CHARACTERS = frozenset("0123456789£$€")
_TRIGGERS: dict[str, frozenset[str]] = {
    "figures": frozenset(
        {
            "doubled",
            "tripled",
            "halved",
            "trebled",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "third",
            "quarter",
            "half",
        }
    ),
    "sources": frozenset(
        {
            "according",
            "study",
            "studies",
            "research",
            "report",
            "reports",
            "survey",
            "statistics",
            "data",
            "evidence",
            "analysis",
            "review",
            "audit",
            "inquiry",
            "census",
            "figures",
            "trial",
            "trials",
            "published",
            "peer",
            "journal",
            "university",
            "et",
            "http",
            "https",
            "www",
        }
    ),
    "experience": frozenset({"as", "my", "i", "first", "firsthand", "when"}),
    "organisation": frozenset({"our", "we", "behalf"}),
}
_WORDS_RE = re.compile(r"[a-z]+")


def evidence_kinds(text: str) -> tuple[str, ...]:
    """The kinds of evidence whose cues ``text`` holds, in the order of :data:`KINDS`."""
    words = set(_WORDS_RE.findall(text.lower()))
    found = []
    for kind, pattern in CUES.items():
        possible = (
            bool(words & _TRIGGERS[kind])
            or (kind == "figures" and not _FIGURE_CHARACTERS.isdisjoint(text))
            or (kind == "sources" and "(" in text)
        )
        if possible and pattern.search(text):
            found.append(kind)
    return tuple(found)


def _cue_counts(texts: Sequence[str], kinds: Sequence[tuple[str, ...]]) -> np.ndarray:
    counts = np.zeros((len(texts), len(CUES)), dtype=np.float32)
    for row, (text, present) in enumerate(zip(texts, kinds, strict=True)):
        for column, kind in enumerate(KINDS):
            if kind in present:
                counts[row, column] = len(CUES[kind].findall(text))
    return counts


@dataclass(frozen=True, kw_only=True)
class EvidenceDecisions:
    flagged: np.ndarray  # (texts,) bool
    confidence: np.ndarray  # (texts,)
    kinds: tuple[tuple[str, ...], ...]
    model: str  # "cues" or "classifier"


def detect_evidence(
    *,
    texts: Sequence[str],
    features: np.ndarray | sparse.csr_matrix,
    coded: Mapping[int, bool],
    params: AnalysisParams,
) -> EvidenceDecisions:
    """Whether each text brings evidence. ``coded`` maps text rows to the analysts' flags."""
    kinds = tuple(evidence_kinds(t) for t in texts)
    cue_flag = np.array([bool(k) for k in kinds], dtype=bool)
    flagged = cue_flag.copy()
    confidence = np.where(cue_flag, 0.8, 0.2).astype(np.float32)
    model = "cues"
    rows = sorted(coded)
    labels = np.array([coded[r] for r in rows], dtype=bool)
    enough = params.min_positive_examples
    if len(rows) and labels.sum() >= enough and (~labels).sum() >= enough:
        matrix = sparse.hstack(
            [sparse.csr_matrix(features), sparse.csr_matrix(_cue_counts(texts, kinds))], "csr"
        )
        classifier = LogisticRegression(
            C=1.0, class_weight="balanced", max_iter=500, random_state=params.seed
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            classifier.fit(matrix[rows], labels)
        confidence = classifier.predict_proba(matrix)[:, 1].astype(np.float32)
        flagged = confidence >= 0.5
        model = "classifier"
    for row, value in coded.items():
        flagged[row] = value
        confidence[row] = 1.0 if value else 0.0
    return EvidenceDecisions(flagged=flagged, confidence=confidence, kinds=kinds, model=model)
