"""Quality measures against ground truth (used by the benchmark and the tests)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class PrecisionRecall:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pair_scores(predicted: Mapping[str, str], expected: Mapping[str, str]) -> PrecisionRecall:
    """Pairwise clustering scores: a pair of responses is positive when both are in the same
    group. ``predicted``/``expected`` map item → group for grouped items only."""
    same_predicted = sum(_pairs(n) for n in Counter(predicted.values()).values())
    same_expected = sum(_pairs(n) for n in Counter(expected.values()).values())
    both = Counter((group, expected[item]) for item, group in predicted.items() if item in expected)
    true_positives = sum(_pairs(n) for n in both.values())
    return PrecisionRecall(
        true_positives=true_positives,
        false_positives=same_predicted - true_positives,
        false_negatives=same_expected - true_positives,
    )


def multilabel_scores(
    predicted: Mapping[str, Iterable[str]],
    expected: Mapping[str, Iterable[str]],
    *,
    items: Iterable[str] | None = None,
) -> tuple[PrecisionRecall, dict[str, PrecisionRecall]]:
    """Micro-averaged and per-label scores of multi-label predictions over ``items``
    (default: every item of ``expected``)."""
    counts: dict[str, list[int]] = {}
    for item in expected if items is None else items:
        truth = set(expected.get(item, ()))
        guess = set(predicted.get(item, ()))
        for label in truth | guess:
            row = counts.setdefault(label, [0, 0, 0])
            if label in truth and label in guess:
                row[0] += 1
            elif label in guess:
                row[1] += 1
            else:
                row[2] += 1
    per_label = {
        label: PrecisionRecall(true_positives=tp, false_positives=fp, false_negatives=fn)
        for label, (tp, fp, fn) in sorted(counts.items())
    }
    micro = PrecisionRecall(
        true_positives=sum(s.true_positives for s in per_label.values()),
        false_positives=sum(s.false_positives for s in per_label.values()),
        false_negatives=sum(s.false_negatives for s in per_label.values()),
    )
    return micro, per_label
