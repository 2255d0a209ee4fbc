"""``run_analysis``: the whole analysis of a consultation in one call."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from importlib import metadata

from scipy import sparse

from moot.analysis.engine.campaigns import detect_campaigns
from moot.analysis.engine.free_text import AnalysedTexts, analyse_themes, analysed_texts
from moot.analysis.engine.inputs import (
    AnalysisParams,
    AnalystState,
    QuestionKind,
    QuestionSpec,
    ResponseInput,
    Stance,
)
from moot.analysis.engine.results import (
    AnalysisResult,
    FreeTextQuestionResult,
    StanceAssignment,
    StanceResult,
    ThemeRecord,
)
from moot.analysis.engine.serialization import to_jsonable
from moot.analysis.engine.stance import TextStanceModel, decide_stances, stance_features
from moot.analysis.engine.tallies import tally_closed_questions

ENGINE_VERSION = "0.1.0"

ProgressCallback = Callable[[str, int, int], None]


def _ignore_progress(stage: str, done: int, total: int) -> None:
    return None


def validate_inputs(
    *, questions: Sequence[QuestionSpec], responses: Sequence[ResponseInput]
) -> None:
    """Raise ``ValueError`` for duplicate question or response ids."""
    for kind, ids in (
        ("question", [q.id for q in questions]),
        ("response", [r.id for r in responses]),
    ):
        duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
        if duplicates:
            shown = ", ".join(repr(d) for d in duplicates[:5])
            more = f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""
            raise ValueError(f"duplicate {kind} ids: {shown}{more}")
    known = {q.id: q for q in questions}
    for question in questions:
        paired = question.paired_scale_question_id
        if paired is not None and (
            paired not in known or known[paired].kind is not QuestionKind.AGREEMENT_SCALE
        ):
            raise ValueError(
                f"question {question.id!r} is paired with {paired!r}, "
                "which is not an agreement-scale question"
            )


def input_fingerprint(
    questions: Sequence[QuestionSpec],
    responses: Sequence[ResponseInput],
    analyst_state: AnalystState,
) -> str:
    """SHA-256 over every input, to tell what a result was computed from."""
    digest = hashlib.sha256()
    for part in (questions, analyst_state):
        digest.update(json.dumps(to_jsonable(part), sort_keys=True).encode())
    for r in responses:
        answers = sorted(
            (k, v if isinstance(v, str) else "\x1d".join(v)) for k, v in r.answers.items()
        )
        fields = (r.id, r.channel.value, r.respondent_type.value, r.role or "", r.region or "")
        digest.update("\x1f".join((*fields, *("\x1e".join(a) for a in answers))).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _library_versions() -> dict[str, str]:
    versions = {}
    for name in ("numpy", "scipy", "scikit-learn"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # pragma: no cover - always installed
            versions[name] = "unknown"
    return versions


def run_analysis(
    *,
    questions: Sequence[QuestionSpec],
    responses: Sequence[ResponseInput],
    analyst_state: AnalystState | None = None,
    params: AnalysisParams | None = None,
    previous: AnalysisResult | None = None,
    progress: ProgressCallback | None = None,
) -> AnalysisResult:
    """Analyse a consultation: campaigns, closed-question tallies, themes and stance.

    ``previous`` is the last result for the same consultation: its theme registry keeps theme
    ids stable. ``analyst_state`` (edits and hand-coding) is replayed in full on every run.
    ``progress(stage, done, total)`` is called as stages advance.
    """
    params = params or AnalysisParams()
    state = analyst_state or AnalystState()
    report = progress or _ignore_progress
    validate_inputs(questions=questions, responses=responses)
    free_questions = [q for q in questions if q.kind is QuestionKind.FREE_TEXT]
    total = 2 + len(free_questions)
    report("campaigns", 0, total)
    campaigns = detect_campaigns(questions=questions, responses=responses, params=params)
    campaign_members = frozenset(campaigns.campaign_of())
    report("closed_questions", 1, total)
    closed = tally_closed_questions(
        questions=questions, responses=responses, campaign_response_ids=campaign_members
    )
    by_id = {r.id: r for r in responses}
    questions_by_id = {q.id: q for q in questions}
    free_results: dict[str, FreeTextQuestionResult] = {}
    registry: dict[str, tuple[ThemeRecord, ...]] = {}
    next_numbers: dict[str, int] = {}
    notes: list[str] = []
    for index, question in enumerate(free_questions):
        report(f"themes:{question.id}", 2 + index, total)
        analysed = analysed_texts(question_id=question.id, responses=responses, campaigns=campaigns)
        codings = {
            c.response_id: c.theme_ids for c in state.codings if c.question_id == question.id
        }
        unknown = sorted(r for r in codings if r not in analysed.response_units)
        if unknown:
            notes.append(
                f"{question.id}: {len(unknown)} coded responses have no answer to this question"
            )
        outcome = analyse_themes(
            question=question,
            responses_by_id=by_id,
            analysed=analysed,
            codings=codings,
            edits=state.theme_edits.get(question.id, ()),
            previous_records=previous.theme_registry.get(question.id, ()) if previous else (),
            next_number=previous.next_theme_number.get(question.id, 1) if previous else 1,
            params=params,
        )
        notes.extend(outcome.resolved.warnings)
        stance = None
        if question.asks_agreement:
            stance = _stance(
                question, questions_by_id, analysed, outcome.unit_matrix, by_id, state, params
            )
        free_results[question.id] = FreeTextQuestionResult(
            question_id=question.id,
            answered_count=len(analysed.response_units),
            distinct_text_count=len(analysed.texts),
            themes=outcome.themes,
            assignments=outcome.assignments,
            review_queue=outcome.review_queue,
            review_queue_total=outcome.review_queue_total,
            coding_suggestions=outcome.coding_suggestions,
            stance=stance,
        )
        registry[question.id] = outcome.records
        next_numbers[question.id] = outcome.resolved.next_number
    report("done", total, total)
    return AnalysisResult(
        engine_version=ENGINE_VERSION,
        params=params,
        input_fingerprint=input_fingerprint(questions, responses, state),
        library_versions=_library_versions(),
        response_count=len(responses),
        campaigns=campaigns,
        closed_questions=closed,
        free_text_questions=free_results,
        theme_registry=registry,
        next_theme_number=next_numbers,
        warnings=tuple(notes),
    )


def _stance(
    question: QuestionSpec,
    questions_by_id: dict[str, QuestionSpec],
    analysed: AnalysedTexts,
    unit_matrix: sparse.csr_matrix,
    by_id: dict[str, ResponseInput],
    state: AnalystState,
    params: AnalysisParams,
) -> StanceResult:
    paired = questions_by_id.get(question.paired_scale_question_id or "")

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
    features = stance_features(unit_matrix[units], texts)
    votes: dict[int, Counter[Stance]] = {}
    for response_id, unit in text_unit.items():
        label = coded.get(response_id) or closed[response_id]
        if label is not None:
            votes.setdefault(unit, Counter())[label] += 1
    labelled = sorted(votes)
    model = TextStanceModel(seed=params.seed).fit(
        features[[row_of[u] for u in labelled]],
        [votes[u].most_common(1)[0][0] for u in labelled],
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
        min_confidence=params.stance_min_confidence,
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
