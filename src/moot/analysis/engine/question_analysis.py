"""Analysis of one free-text question end to end: themes, assignments and stance.

Kept apart from :mod:`moot.analysis.engine.pipeline` so that questions can be analysed in
worker processes (see ``run_analysis(workers=...)``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from moot.analysis.engine.evidence import KINDS as EVIDENCE_KINDS
from moot.analysis.engine.evidence import detect_evidence
from moot.analysis.engine.free_text import AnalysedTexts, analyse_themes, analysed_texts
from moot.analysis.engine.inputs import (
    AnalysisParams,
    AnalystState,
    QuestionSpec,
    ResponseInput,
    Stance,
)
from moot.analysis.engine.results import (
    AnalysisResult,
    CampaignReport,
    EvidenceFlag,
    EvidenceResult,
    FreeTextQuestionResult,
    StanceAssignment,
    StanceResult,
    ThemeRecord,
)
from moot.analysis.engine.stance import TextStanceModel, decide_stances, stance_features


@dataclass(frozen=True, kw_only=True)
class RunContext:
    """What every question's analysis needs from the whole run."""

    responses: tuple[ResponseInput, ...]
    by_id: Mapping[str, ResponseInput]
    questions_by_id: Mapping[str, QuestionSpec]
    campaigns: CampaignReport
    state: AnalystState
    params: AnalysisParams
    previous: AnalysisResult | None


@dataclass(frozen=True, kw_only=True)
class QuestionOutcome:
    result: FreeTextQuestionResult
    records: tuple[ThemeRecord, ...]
    next_number: int
    warnings: tuple[str, ...]


def analyse_free_text_question(context: RunContext, question: QuestionSpec) -> QuestionOutcome:
    state, previous = context.state, context.previous
    analysed = analysed_texts(
        question_id=question.id, responses=context.responses, campaigns=context.campaigns
    )
    codings = {c.response_id: c.theme_ids for c in state.codings if c.question_id == question.id}
    notes: list[str] = []
    unknown = sorted(r for r in codings if r not in analysed.response_units)
    if unknown:
        notes.append(
            f"{question.id}: {len(unknown)} coded responses have no answer to this question"
        )
    outcome = analyse_themes(
        question=question,
        responses_by_id=context.by_id,
        analysed=analysed,
        codings=codings,
        edits=state.theme_edits.get(question.id, ()),
        previous_records=previous.theme_registry.get(question.id, ()) if previous else (),
        next_number=previous.next_theme_number.get(question.id, 1) if previous else 1,
        params=context.params,
    )
    notes.extend(outcome.resolved.warnings)
    stance = None
    if question.asks_agreement:
        stance = _stance(question, context, analysed, outcome.unit_features)
    evidence = _evidence(question, context, analysed, outcome.unit_features)
    result = FreeTextQuestionResult(
        question_id=question.id,
        answered_count=len(analysed.response_units),
        distinct_text_count=len(analysed.texts),
        themes=outcome.themes,
        assignments=outcome.assignments,
        review_queue=outcome.review_queue,
        review_queue_total=outcome.review_queue_total,
        coding_suggestions=outcome.coding_suggestions,
        stance=stance,
        evidence=evidence,
    )
    return QuestionOutcome(
        result=result,
        records=outcome.records,
        next_number=outcome.resolved.next_number,
        warnings=tuple(notes),
    )


def _stance(
    question: QuestionSpec,
    context: RunContext,
    analysed: AnalysedTexts,
    unit_features: np.ndarray | sparse.csr_matrix,
) -> StanceResult:
    by_id, state, params = context.by_id, context.state, context.params
    paired = context.questions_by_id.get(question.paired_scale_question_id or "")

    def closed_stance(response_id: str) -> Stance | None:
        if paired is None:
            return None
        answer = by_id[response_id].answers.get(paired.id)
        if isinstance(answer, str) and answer in paired.options:
            return paired.stance_of_option(answer)
        return None

    coded = {c.response_id: c.stance for c in state.stance_codings if c.question_id == question.id}
    closed = {r: closed_stance(r) for r in analysed.response_units}
    # each response's stance is read from one text: its own answer or its campaign template
    text_unit = {r: units[0] for r, units in analysed.response_units.items() if units}
    units = sorted(set(text_unit.values()))
    row_of = {unit: row for row, unit in enumerate(units)}
    texts = [analysed.texts[u] for u in units]
    features = stance_features(unit_features[units], texts)
    votes: dict[int, Counter[Stance]] = {}
    for response_id, unit in text_unit.items():
        label = coded.get(response_id) or closed[response_id]
        if label is not None:
            votes.setdefault(unit, Counter())[label] += 1
    labelled = sorted(votes)
    model = TextStanceModel(seed=params.seed).fit(
        features[[row_of[u] for u in labelled]],
        [votes[u].most_common(1)[0][0] for u in labelled],
        all_features=features,
        all_texts=texts,
    )
    predictions = model.predict(features, texts)
    response_ids = list(analysed.response_units)
    decisions = decide_stances(
        predictions=[
            predictions[row_of[text_unit[r]]] if r in text_unit else (Stance.UNCLEAR, 0.0)
            for r in response_ids
        ],
        closed=[closed[r] for r in response_ids],
        coded=[coded.get(r) for r in response_ids],
        # a learned (class-balanced) model says unclear only where it learned to; the gate is
        # for the lexical cues alone
        min_confidence=0.0 if model.learned else params.stance_min_confidence,
    )
    members = analysed.campaign_members
    assignments = tuple(
        StanceAssignment(
            response_id=r,
            stance=d.stance,
            confidence=d.confidence,
            source=d.source if r not in members or d.source != "text" else "campaign",
            conflict=d.conflict,
        )
        for r, d in zip(response_ids, decisions, strict=True)
    )
    owner_kind = dict(zip(analysed.owners, analysed.kinds, strict=True))
    zero = {s.value: 0 for s in Stance}
    return StanceResult(
        all_submissions={**zero, **Counter(a.stance.value for a in assignments)},
        excluding_campaigns={
            **zero,
            **Counter(a.stance.value for a in assignments if a.response_id not in members),
        },
        distinct_texts={
            **zero,
            **Counter(
                a.stance.value
                for a in assignments
                if a.response_id not in members or owner_kind.get(a.response_id) == "template"
            ),
        },
        assignments=assignments,
        text_model=model.name,
    )


def _evidence(
    question: QuestionSpec,
    context: RunContext,
    analysed: AnalysedTexts,
    unit_features: np.ndarray | sparse.csr_matrix,
) -> EvidenceResult:
    """Evidence flags per response: its own answer's (or, for a campaign member, its
    template's or addition's), the analyst's flag overriding the model."""
    coded_by_response = {
        c.response_id: c.has_evidence
        for c in context.state.evidence_codings
        if c.question_id == question.id
    }
    own_unit = {
        analysed.owners[u]: u
        for u, kind in enumerate(analysed.kinds)
        if kind in ("response", "addition")
    }
    coded_units = {own_unit[r]: flag for r, flag in coded_by_response.items() if r in own_unit}
    decisions = detect_evidence(
        texts=analysed.texts, features=unit_features, coded=coded_units, params=context.params
    )
    members = analysed.campaign_members
    flags: list[EvidenceFlag] = []
    for response_id, units in analysed.response_units.items():
        if response_id in coded_by_response:
            if coded_by_response[response_id]:
                unit = own_unit.get(response_id, units[0] if units else -1)
                kinds = decisions.kinds[unit] if unit >= 0 else ()
                flags.append(
                    EvidenceFlag(
                        response_id=response_id, kinds=kinds, confidence=1.0, source="coded"
                    )
                )
            continue
        hits = [u for u in units if decisions.flagged[u]]
        if not hits:
            continue
        best = max(hits, key=lambda u: float(decisions.confidence[u]))
        kinds = tuple(k for k in EVIDENCE_KINDS if any(k in decisions.kinds[u] for u in hits))
        flags.append(
            EvidenceFlag(
                response_id=response_id,
                kinds=kinds,
                confidence=round(float(decisions.confidence[best]), 4),
                source="campaign" if response_id in members else "text",
            )
        )
    return EvidenceResult(flagged_count=len(flags), model=decisions.model, flags=tuple(flags))
