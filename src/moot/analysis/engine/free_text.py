"""Analysis of one free-text question: analysed texts, themes, assignments, review queue.

The *analysed texts* of a question are: each answer from a response outside campaigns, each
campaign's template answer (once), and each campaign member's personalised addition. Themes are
discovered and assigned on these; a campaign member then gets its template's themes plus those
of its own addition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from moot.analysis.engine.assignment import assign_probabilities, review_uncertainty, theme_vectors
from moot.analysis.engine.discovery import discover_themes, make_vectorizer
from moot.analysis.engine.inputs import AnalysisParams, QuestionSpec, ResponseInput, ThemeEdit
from moot.analysis.engine.registry import ResolvedThemes, resolve_themes
from moot.analysis.engine.results import (
    AssignmentSource,
    CampaignReport,
    Quote,
    ReviewItem,
    ThemeAssignment,
    ThemeCounts,
    ThemeRecord,
    ThemeSummary,
)
from moot.analysis.engine.semantic import semantic_probabilities

_QUOTE_CHARS = 400


@dataclass(frozen=True, kw_only=True)
class AnalysedTexts:
    texts: tuple[str, ...]
    owners: tuple[str, ...]  # response id standing for each text
    kinds: tuple[str, ...]  # "response", "template" or "addition"
    response_units: dict[str, tuple[int, ...]]  # answering response -> its texts
    campaign_members: frozenset[str]


def analysed_texts(
    *, question_id: str, responses: Sequence[ResponseInput], campaigns: CampaignReport
) -> AnalysedTexts:
    texts: list[str] = []
    owners: list[str] = []
    kinds: list[str] = []
    template_unit: dict[str, int] = {}
    for campaign in campaigns.campaigns:
        template = campaign.template_texts.get(question_id, "").strip()
        if template:
            template_unit[campaign.id] = len(texts)
            texts.append(template)
            owners.append(campaign.template_response_id)
            kinds.append("template")
    membership = {
        m.response_id: (c.id, m.additions.get(question_id, ""))
        for c in campaigns.campaigns
        for m in c.members
    }
    response_units: dict[str, tuple[int, ...]] = {}
    for response in responses:
        answer = response.free_text(question_id).strip()
        if not answer:
            continue
        member = membership.get(response.id)
        if member is None:
            response_units[response.id] = (len(texts),)
            texts.append(answer)
            owners.append(response.id)
            kinds.append("response")
            continue
        campaign_id, addition = member
        units: list[int] = []
        if campaign_id in template_unit:
            units.append(template_unit[campaign_id])
        if addition.strip():
            units.append(len(texts))
            texts.append(addition.strip())
            owners.append(response.id)
            kinds.append("addition")
        response_units[response.id] = tuple(units)
    return AnalysedTexts(
        texts=tuple(texts),
        owners=tuple(owners),
        kinds=tuple(kinds),
        response_units=response_units,
        campaign_members=frozenset(membership),
    )


@dataclass(frozen=True, kw_only=True)
class ThemeOutcome:
    themes: tuple[ThemeSummary, ...]
    assignments: tuple[ThemeAssignment, ...]
    review_queue: tuple[ReviewItem, ...]
    review_queue_total: int
    coding_suggestions: tuple[str, ...]
    resolved: ResolvedThemes
    records: tuple[ThemeRecord, ...]
    unit_probabilities: np.ndarray
    unit_matrix: sparse.csr_matrix
    unit_features: np.ndarray | sparse.csr_matrix  # what stance and evidence models read


def analyse_themes(
    *,
    question: QuestionSpec,
    responses_by_id: Mapping[str, ResponseInput],
    analysed: AnalysedTexts,
    codings: Mapping[str, frozenset[str]],
    edits: Sequence[ThemeEdit],
    previous_records: Sequence[ThemeRecord],
    next_number: int,
    params: AnalysisParams,
) -> ThemeOutcome:
    """Discover, resolve and assign the themes of one question."""
    vectorizer, matrix = make_vectorizer(analysed.texts) if analysed.texts else (None, None)
    width = 0 if matrix is None else matrix.shape[1]
    unit_matrix = matrix if matrix is not None else sparse.csr_matrix((0, 0), dtype=np.float32)
    discovered = []
    if vectorizer is not None and width:
        vocabulary = vectorizer.get_feature_names_out().tolist()
        discovered = discover_themes(
            matrix=unit_matrix, vocabulary=vocabulary, params=params, texts=analysed.texts
        )
    resolved = resolve_themes(
        question_id=question.id,
        discovered=discovered,
        previous_records=previous_records,
        next_number=next_number,
        edits=edits,
        match_threshold=params.theme_match_threshold,
    )
    themes = resolved.active
    column = {t.id: i for i, t in enumerate(themes)}
    coded: dict[str, frozenset[int]] = {}
    for response_id, theme_ids in sorted(codings.items()):
        if response_id not in analysed.response_units:
            continue
        mapped = (resolved.resolve(t) for t in theme_ids)
        coded[response_id] = frozenset(column[t] for t in mapped if t is not None and t in column)
    coded_ids = sorted(coded)
    labels = np.zeros((len(coded_ids), len(themes)), dtype=bool)
    for row, response_id in enumerate(coded_ids):
        labels[row, sorted(coded[response_id])] = True
    coded_texts = [responses_by_id[r].free_text(question.id) for r in coded_ids]
    features: np.ndarray | sparse.csr_matrix
    if params.text_model == "tfidf":
        if vectorizer is not None and width and coded_ids:
            coded_matrix = sparse.csr_matrix(vectorizer.transform(coded_texts))
        else:
            coded_matrix = sparse.csr_matrix((len(coded_ids), width), dtype=np.float32)
        result = assign_probabilities(
            unit_matrix=unit_matrix,
            theme_matrix=theme_vectors(themes, vectorizer, width),
            coded_matrix=coded_matrix,
            coded_labels=labels,
            params=params,
        )
        probabilities = result.probabilities
        models, coded_counts = result.models, result.coded_positive_counts
        thresholds = np.full(len(themes), params.assignment_threshold, dtype=np.float32)
        assigned = probabilities >= thresholds
        features = unit_matrix
    else:
        semantic = semantic_probabilities(
            texts=analysed.texts,
            themes=themes,
            coded_texts=coded_texts,
            coded_labels=labels,
            params=params,
        )
        probabilities, assigned = semantic.probabilities, semantic.assigned
        models, coded_counts = semantic.models, semantic.coded_positive_counts
        thresholds = semantic.thresholds
        features = semantic.features
    for unit, (owner, kind) in enumerate(zip(analysed.owners, analysed.kinds, strict=True)):
        if kind != "addition" and owner in coded:
            probabilities[unit] = 0.0
            probabilities[unit, sorted(coded[owner])] = 1.0
            assigned[unit] = probabilities[unit] >= 0.5
    assignments: list[ThemeAssignment] = []
    per_theme_all = np.zeros(len(themes), dtype=int)
    per_theme_outside = np.zeros(len(themes), dtype=int)
    for response_id, units in analysed.response_units.items():
        source: AssignmentSource
        if response_id in coded:
            scores = {themes[t].id: 1.0 for t in sorted(coded[response_id])}
            source = "coded"
        else:
            unit_list = list(units)
            best = probabilities[unit_list].max(axis=0) if units else np.zeros(len(themes))
            chosen = assigned[unit_list].any(axis=0) if units else np.zeros(len(themes), bool)
            scores = {
                themes[t].id: round(float(best[t]), 4) for t in np.flatnonzero(chosen).tolist()
            }
            source = "campaign" if response_id in analysed.campaign_members else "model"
        for theme_id in scores:
            per_theme_all[column[theme_id]] += 1
            if response_id not in analysed.campaign_members:
                per_theme_outside[column[theme_id]] += 1
        assignments.append(ThemeAssignment(response_id=response_id, themes=scores, source=source))
    names = (
        vectorizer.get_feature_names_out().tolist() if vectorizer is not None and width else None
    )
    overall = np.asarray(unit_matrix.mean(axis=0)).ravel() if width else np.zeros(0)
    review, review_total, suggestions = _review(
        analysed, probabilities, assigned, thresholds, coded, params, question.id
    )
    summaries = tuple(
        ThemeSummary(
            id=theme.id,
            label=theme.label,
            description=theme.description,
            origin=theme.origin,
            top_terms=_top_terms(
                unit_matrix, assigned[:, t], names, overall, theme.top_terms, params
            ),
            quotes=_quotes(analysed, probabilities[:, t], assigned[:, t], params),
            counts=ThemeCounts(
                all_submissions=int(per_theme_all[t]),
                excluding_campaigns=int(per_theme_outside[t]),
                distinct_texts=int(assigned[:, t].sum()),
            ),
            coded_count=coded_counts[t],
            model=models[t],
        )
        for t, theme in enumerate(themes)
    )
    return ThemeOutcome(
        themes=summaries,
        assignments=tuple(assignments),
        review_queue=review,
        review_queue_total=review_total,
        coding_suggestions=suggestions,
        resolved=resolved,
        records=resolved.records,
        unit_probabilities=probabilities,
        unit_matrix=unit_matrix,
        unit_features=features,
    )


def _top_terms(
    matrix: sparse.csr_matrix,
    members: np.ndarray,
    names: Sequence[str] | None,
    overall: np.ndarray,
    fallback: tuple[str, ...],
    params: AnalysisParams,
) -> tuple[str, ...]:
    """Terms most over-represented in a theme's texts (mean TF-IDF inside minus overall)."""
    if names is None or members.sum() < 2 or matrix.shape[1] == 0:
        return fallback[: params.top_terms_per_theme]
    lift = np.asarray(matrix[members].mean(axis=0)).ravel() - overall
    order = np.argsort(-lift, kind="stable")[: params.top_terms_per_theme]
    return tuple(str(names[i]) for i in order if lift[i] > 0)


def _quotes(
    analysed: AnalysedTexts, scores: np.ndarray, assigned: np.ndarray, params: AnalysisParams
) -> tuple[Quote, ...]:
    order = np.argsort(-scores, kind="stable")
    quotes: list[Quote] = []
    seen: set[str] = set()
    for unit in order.tolist():
        if len(quotes) >= params.quotes_per_theme:
            break
        if not assigned[unit]:
            continue
        text = analysed.texts[unit]
        if text in seen or (analysed.kinds[unit] == "addition" and len(text) < 40):
            continue
        seen.add(text)
        short = text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1].rstrip() + "…"
        quotes.append(Quote(response_id=analysed.owners[unit], text=short))
    return tuple(quotes)


def _review(
    analysed: AnalysedTexts,
    probabilities: np.ndarray,
    assigned: np.ndarray,
    thresholds: np.ndarray,
    coded: Mapping[str, frozenset[int]],
    params: AnalysisParams,
    question_id: str,
) -> tuple[tuple[ReviewItem, ...], int, tuple[str, ...]]:
    threshold = params.assignment_threshold
    uncertainty = review_uncertainty(probabilities, thresholds)
    limit = 1.0 - params.review_margin / max(threshold, 1.0 - threshold)
    no_theme: np.ndarray = np.asarray(~assigned.any(axis=1))
    items: list[tuple[float, str, str]] = []
    for unit, owner in enumerate(analysed.owners):
        if owner in coded and analysed.kinds[unit] != "addition":
            continue
        if uncertainty[unit] >= limit:
            items.append((float(uncertainty[unit]), owner, "theme confidence near threshold"))
        elif no_theme[unit] and analysed.texts[unit].count(" ") >= 4:
            items.append((float(uncertainty[unit]) * 0.5, owner, "no theme assigned"))
    items.sort(key=lambda item: (-item[0], item[1]))
    queue = tuple(
        ReviewItem(response_id=owner, uncertainty=round(score, 4), reason=reason)
        for score, owner, reason in items[: params.review_queue_limit]
    )
    # suggestions: campaign templates first (largest first, they stand for many
    # submissions), then the most uncertain answers interleaved with a seeded random sample
    templates = [o for o, k in zip(analysed.owners, analysed.kinds, strict=True) if k == "template"]
    eligible_set = {
        o for o, k in zip(analysed.owners, analysed.kinds, strict=True) if k == "response"
    } - set(coded)
    eligible = sorted(eligible_set)
    rng = np.random.default_rng([params.seed, sum(question_id.encode())])
    shuffled = [eligible[i] for i in rng.permutation(len(eligible))] if eligible else []
    uncertain = [owner for _, owner, _ in items if owner in eligible_set]
    ordered = [t for t in templates if t not in coded]
    for index in range(min(max(len(uncertain), len(shuffled)), params.coding_suggestion_count)):
        ordered.extend(part[index] for part in (uncertain, shuffled) if index < len(part))
    suggestions = tuple(dict.fromkeys(ordered))[: params.coding_suggestion_count]
    return queue, len(items), suggestions
