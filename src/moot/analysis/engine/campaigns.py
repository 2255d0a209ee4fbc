"""Campaign detection: group responses that share a template text.

Pipeline (all on the response's free-text answers joined in questionnaire order):

1. texts equal up to case, spacing and punctuation are collapsed into one *distinct text*
   weighted by how many responses sent it; texts shorter than ``campaign_min_words`` are left
   out (thousands of "No comment" are not a campaign);
2. MinHash signatures of word-shingle sets, LSH banding, and from each bucket a *star* of pairs
   around its heaviest text;
3. candidate pairs are kept when their signatures agree on at least
   ``candidate_min_estimated_jaccard`` of positions, then verified exactly on the shingle sets
   (Jaccard ≥ ``campaign_min_jaccard`` and overlap coefficient ≥ ``campaign_min_overlap``; the
   overlap coefficient keeps members with a paragraph removed or a long addition);
4. verified pairs are joined with union-find; each group's most submitted text is its template
   and every member must verify against the template itself (members that only chained in are
   re-grouped among themselves), so a campaign is exactly "responses that match its template";
5. a final sweep checks texts left outside every campaign against each template.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from moot.analysis.engine import minhash
from moot.analysis.engine.inputs import AnalysisParams, QuestionKind, QuestionSpec, ResponseInput
from moot.analysis.engine.results import Campaign, CampaignMember, CampaignReport
from moot.analysis.engine.text import (
    TokenHasher,
    batch_shingle_hashes,
    canonical_key,
    sentences,
    stable_hash,
    tokens,
)

ProgressCallback = Callable[[str, int, int], None]


def free_text_question_ids(questions: Sequence[QuestionSpec]) -> tuple[str, ...]:
    return tuple(q.id for q in questions if q.kind is QuestionKind.FREE_TEXT)


def combined_text(answers: dict[str, str], question_ids: Sequence[str]) -> str:
    """The text campaign detection works on: free-text answers joined in question order."""
    return "\n".join(answers.get(qid, "") for qid in question_ids if answers.get(qid))


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb


def array_similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float, int]:
    """(Jaccard, overlap coefficient, shared count) of two sorted unique hash arrays."""
    if a.shape[0] == 0 or b.shape[0] == 0:
        return 0.0, 0.0, 0
    common = int(np.intersect1d(a, b, assume_unique=True).shape[0])
    union = a.shape[0] + b.shape[0] - common
    return common / union, common / min(a.shape[0], b.shape[0]), common


class TemplateSentences:
    """A template's sentences as token sets, for finding what a member added."""

    def __init__(self, template: str) -> None:
        self.text = template
        self.sets = [s for s in (frozenset(tokens(x)) for x in sentences(template)) if s]

    def additions(self, text: str, *, max_similarity: float) -> str:
        """Sentences of ``text`` with no close counterpart in the template."""
        if text == self.text:
            return ""
        kept: list[str] = []
        for sentence in sentences(text):
            words = frozenset(tokens(sentence))
            if not words:
                continue
            best = 0.0
            for candidate in self.sets:
                score = len(words & candidate) / len(words | candidate)
                if score > best:
                    best = score
                    if best >= max_similarity:
                        break
            if best < max_similarity:
                kept.append(sentence)
        return " ".join(kept)


def extract_additions(*, text: str, template: str, max_similarity: float) -> str:
    """Sentences of ``text`` with no close counterpart in ``template`` (personalised text)."""
    return TemplateSentences(template).additions(text, max_similarity=max_similarity)


class _DistinctTexts:
    """Distinct combined texts, their responses and (lazily) their shingle sets."""

    def __init__(self, keys: list[str], members: list[list[int]]) -> None:
        self.keys = keys
        self.members = members
        self.weights = np.array([len(m) for m in members], dtype=np.int64)
        self.shingles: np.ndarray = np.zeros(0, dtype=np.uint64)
        self.offsets: np.ndarray = np.zeros(1, dtype=np.int64)
        self._arrays: dict[int, np.ndarray] = {}

    def shingle_array(self, doc: int) -> np.ndarray:
        """The document's distinct shingle hashes, sorted (cached)."""
        cached = self._arrays.get(doc)
        if cached is None:
            lo, hi = int(self.offsets[doc]), int(self.offsets[doc + 1])
            cached = np.unique(self.shingles[lo:hi])
            self._arrays[doc] = cached
        return cached

    def similarity(self, a: int, b: int) -> tuple[float, float, int]:
        return array_similarity(self.shingle_array(a), self.shingle_array(b))


def _build_distinct(
    combined: list[str], params: AnalysisParams
) -> tuple[_DistinctTexts, dict[str, int]]:
    by_key: dict[str, int] = {}
    keys: list[str] = []
    members: list[list[int]] = []
    for index, text in enumerate(combined):
        key = canonical_key(text)
        if key.count(" ") + 1 < params.campaign_min_words or not key:
            continue
        doc = by_key.get(key)
        if doc is None:
            by_key[key] = len(keys)
            keys.append(key)
            members.append([index])
        else:
            members[doc].append(index)
    distinct = _DistinctTexts(keys, members)
    hasher = TokenHasher()
    shingle_parts: list[np.ndarray] = []
    shingle_counts: list[np.ndarray] = []
    batch: list[int] = []
    lengths: list[int] = []

    def flush() -> None:
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        hashes, shingle_offsets = batch_shingle_hashes(
            np.array(batch, dtype=np.uint64), offsets, params.shingle_size
        )
        shingle_parts.append(hashes)
        shingle_counts.append(np.diff(shingle_offsets))
        batch.clear()
        lengths.clear()

    for key in keys:
        words = key.split(" ")
        lengths.append(len(words))
        batch.extend(hasher.hash_tokens(words))
        if len(batch) > 500_000:
            flush()
    flush()
    counts = np.concatenate(shingle_counts)
    distinct.offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(counts, out=distinct.offsets[1:])
    distinct.shingles = np.concatenate(shingle_parts)
    return distinct, by_key


def _verified_pairs(
    distinct: _DistinctTexts, sigs: np.ndarray, params: AnalysisParams
) -> list[tuple[int, int]]:
    pairs = minhash.star_candidate_pairs(sigs, distinct.weights, bands=params.lsh_bands)
    if pairs.shape[0] == 0:
        return []
    estimates = minhash.estimated_jaccard(sigs, pairs)
    pairs = pairs[estimates >= params.candidate_min_estimated_jaccard]
    # an edge inside an already connected group adds nothing (membership is verified against
    # the template afterwards), so only pairs joining two groups are verified
    finder = _UnionFind(len(distinct.keys))
    accepted: list[tuple[int, int]] = []
    for a, b in pairs.tolist():
        if finder.find(a) != finder.find(b) and _accepts(distinct.similarity(a, b), params):
            finder.union(a, b)
            accepted.append((a, b))
    return accepted


def _accepts(similarity: tuple[float, float, int], params: AnalysisParams) -> bool:
    jaccard, overlap, shared = similarity
    return (
        jaccard >= params.campaign_min_jaccard
        and overlap >= params.campaign_min_overlap
        and shared >= params.campaign_min_shared_shingles
    )


def _group(
    distinct: _DistinctTexts, pairs: list[tuple[int, int]], params: AnalysisParams
) -> list[tuple[int, list[int]]]:
    """Groups of distinct texts as ``(template, members)``; members verify against template."""
    pool = sorted({d for pair in pairs for d in pair})
    groups: list[tuple[int, list[int]]] = []
    while pool:
        allowed = set(pool)
        finder = _UnionFind(len(distinct.keys))
        for a, b in pairs:
            if a in allowed and b in allowed:
                finder.union(a, b)
        components: dict[int, list[int]] = {}
        for doc in pool:
            components.setdefault(finder.find(doc), []).append(doc)
        leftovers: list[int] = []
        for component in components.values():
            if len(component) < 2:
                continue
            template = min(component, key=lambda d: (-int(distinct.weights[d]), d))
            members = [
                d
                for d in component
                if d == template or _accepts(distinct.similarity(d, template), params)
            ]
            groups.append((template, members))
            kept = set(members)
            leftovers.extend(d for d in component if d not in kept)
        if len(leftovers) == len(pool):
            break
        pool = sorted(leftovers)
    return groups


def _sweep(
    distinct: _DistinctTexts,
    sigs: np.ndarray,
    groups: list[tuple[int, list[int]]],
    params: AnalysisParams,
) -> None:
    """Add texts outside every group that verify against a group's template."""
    if not groups or len(groups) > 500:
        return
    grouped = np.zeros(len(distinct.keys), dtype=bool)
    for _, members in groups:
        grouped[members] = True
    outside = np.flatnonzero(~grouped)
    templates = np.array([t for t, _ in groups], dtype=np.int64)
    template_sigs = sigs[templates]
    step = max(1, 2_000_000 // (len(groups) * sigs.shape[1]))
    for lo in range(0, outside.shape[0], step):
        part = outside[lo : lo + step]
        agree = (sigs[part][:, None, :] == template_sigs[None, :, :]).mean(axis=2)
        hits = np.nonzero(agree >= params.candidate_min_estimated_jaccard)
        for row, col in zip(*hits, strict=True):
            doc, group_index = int(part[row]), int(col)
            if grouped[doc]:
                continue
            if _accepts(distinct.similarity(doc, int(templates[group_index])), params):
                groups[group_index][1].append(doc)
                grouped[doc] = True


def detect_campaigns(
    *,
    questions: Sequence[QuestionSpec],
    responses: Sequence[ResponseInput],
    params: AnalysisParams | None = None,
    progress: ProgressCallback | None = None,
) -> CampaignReport:
    """Find campaigns among ``responses`` (see the module docstring for the method)."""
    params = params or AnalysisParams()
    question_ids = free_text_question_ids(questions)
    report = progress or (lambda stage, done, total: None)
    report("campaigns", 0, 4)
    combined = [
        combined_text({q: r.free_text(q) for q in question_ids}, question_ids) for r in responses
    ]
    distinct, _ = _build_distinct(combined, params)
    report("campaigns", 1, 4)
    groups: list[tuple[int, list[int]]] = []
    if len(distinct.keys) >= 1:
        sigs = minhash.signatures(
            distinct.shingles, distinct.offsets, num_perm=params.num_perm, seed=params.seed
        )
        report("campaigns", 2, 4)
        groups = _group(distinct, _verified_pairs(distinct, sigs, params), params)
        grouped = {d for _, members in groups for d in members}
        groups.extend(
            (doc, [doc])
            for doc in np.flatnonzero(distinct.weights >= params.min_campaign_size).tolist()
            if doc not in grouped
        )
        groups = [g for g in groups if int(distinct.weights[g[1]].sum()) > 1]
        _sweep(distinct, sigs, groups, params)
    report("campaigns", 3, 4)
    campaigns = [
        _make_campaign(distinct, template, members, responses, question_ids, params)
        for template, members in groups
        if int(distinct.weights[members].sum()) >= params.min_campaign_size
    ]
    campaigns.sort(key=lambda c: (-c.size, c.id))
    report("campaigns", 4, 4)
    in_campaigns = sum(c.size for c in campaigns)
    return CampaignReport(
        question_ids=question_ids,
        campaigns=tuple(campaigns),
        total_responses=len(responses),
        campaign_response_count=in_campaigns,
        non_campaign_response_count=len(responses) - in_campaigns,
        distinct_submission_count=len(responses) - in_campaigns + len(campaigns),
    )


def _make_campaign(
    distinct: _DistinctTexts,
    template: int,
    members: list[int],
    responses: Sequence[ResponseInput],
    question_ids: Sequence[str],
    params: AnalysisParams,
) -> Campaign:
    template_response = responses[distinct.members[template][0]]
    template_texts = {
        q: template_response.free_text(q) for q in question_ids if template_response.free_text(q)
    }
    template_sentences = {q: TemplateSentences(template_texts.get(q, "")) for q in question_ids}
    campaign_members: list[CampaignMember] = []
    for doc in sorted(members, key=lambda d: (d != template, d)):
        jaccard, overlap, _ = distinct.similarity(doc, template)
        additions: dict[str, str] = {}
        if doc != template:
            first = responses[distinct.members[doc][0]]
            for q in question_ids:
                added = template_sentences[q].additions(
                    first.free_text(q), max_similarity=params.addition_max_sentence_similarity
                )
                if added:
                    additions[q] = added
        for index in distinct.members[doc]:
            campaign_members.append(
                CampaignMember(
                    response_id=responses[index].id,
                    similarity=round(jaccard, 4),
                    overlap=round(overlap, 4),
                    is_exact_copy=doc == template,
                    additions=additions,
                )
            )
    campaign_members.sort(key=lambda m: (not m.is_exact_copy, -m.similarity, m.response_id))
    return Campaign(
        id="campaign-" + stable_hash(distinct.keys[template], length=10),
        template_response_id=template_response.id,
        template_texts=template_texts,
        size=len(campaign_members),
        distinct_text_count=len(members),
        members=tuple(campaign_members),
    )
