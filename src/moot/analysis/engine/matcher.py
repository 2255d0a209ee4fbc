"""Incremental campaign matching: check one new response against known campaigns.

Built from a finished run's campaigns (their template texts), the matcher indexes each
template's MinHash signature in LSH band tables tuned for recall (3 rows per band, 42 bands),
looks a new response up in them, and verifies each candidate exactly with the same test the
batch detection applies to members (Jaccard, overlap coefficient and shared shingles against
the template), so a response the batch run put in a campaign is matched to that campaign.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from moot.analysis.engine import minhash
from moot.analysis.engine.campaigns import array_similarity, combined_text
from moot.analysis.engine.inputs import AnalysisParams, Answer
from moot.analysis.engine.results import AnalysisResult, Campaign, CampaignMatch
from moot.analysis.engine.text import TokenHasher, canonical_key, shingle_hashes

_ROWS = 3
_BANDS = 42


class CampaignMatcher:
    """Answers "does this new response belong to a known campaign?" in well under 2 ms."""

    def __init__(
        self,
        *,
        campaigns: Sequence[Campaign],
        question_ids: Sequence[str],
        params: AnalysisParams | None = None,
    ) -> None:
        self.params = params or AnalysisParams()
        self.question_ids = tuple(question_ids)
        self._hasher = TokenHasher()
        self._campaign_ids: list[str] = []
        self._templates: list[np.ndarray] = []
        self._tables: list[dict[int, list[int]]] = [{} for _ in range(_BANDS)]
        self._multipliers, self._adds = minhash.permutation_parameters(
            _ROWS * _BANDS, self.params.seed
        )
        for campaign in campaigns:
            text = combined_text(campaign.template_texts, self.question_ids)
            shingles = self._shingles(text)
            if shingles.shape[0] == 0:
                continue
            index = len(self._campaign_ids)
            self._campaign_ids.append(campaign.id)
            self._templates.append(shingles)
            for band, key in enumerate(self._band_keys(shingles)):
                self._tables[band].setdefault(key, []).append(index)

    @classmethod
    def from_result(cls, *, result: AnalysisResult) -> CampaignMatcher:
        return cls(
            campaigns=result.campaigns.campaigns,
            question_ids=result.campaigns.question_ids,
            params=result.params,
        )

    def __len__(self) -> int:
        return len(self._campaign_ids)

    def _shingles(self, text: str) -> np.ndarray:
        words = canonical_key(text).split(" ")
        if len(words) < self.params.campaign_min_words:
            return np.zeros(0, dtype=np.uint64)
        hashes = np.array(self._hasher.hash_tokens(words), dtype=np.uint64)
        return np.unique(shingle_hashes(hashes, self.params.shingle_size))

    def _band_keys(self, shingles: np.ndarray) -> list[int]:
        hashed = (shingles[:, None] * self._multipliers[None, :] + self._adds[None, :]) >> (
            np.uint64(32)
        )
        signature = hashed.min(axis=0).reshape(_BANDS, _ROWS)
        return [hash(row.tobytes()) for row in signature]

    def match_text(self, text: str) -> CampaignMatch | None:
        """Match a combined free text (answers joined in the campaigns' question order)."""
        if not self._campaign_ids:
            return None
        shingles = self._shingles(text)
        if shingles.shape[0] == 0:
            return None
        candidates: set[int] = set()
        for band, key in enumerate(self._band_keys(shingles)):
            found = self._tables[band].get(key)
            if found:
                candidates.update(found)
        best: CampaignMatch | None = None
        for index in sorted(candidates):
            jaccard, overlap, shared = array_similarity(shingles, self._templates[index])
            if (
                jaccard >= self.params.campaign_min_jaccard
                and overlap >= self.params.campaign_min_overlap
                and shared >= self.params.campaign_min_shared_shingles
                and (best is None or jaccard > best.similarity)
            ):
                best = CampaignMatch(
                    campaign_id=self._campaign_ids[index],
                    similarity=round(jaccard, 4),
                    overlap=round(overlap, 4),
                )
        return best

    def match(self, *, answers: Mapping[str, Answer]) -> CampaignMatch | None:
        """Match a new response's answers; returns the best verified campaign or ``None``."""
        texts = {q: a for q, a in answers.items() if isinstance(a, str)}
        return self.match_text(combined_text(texts, self.question_ids))
