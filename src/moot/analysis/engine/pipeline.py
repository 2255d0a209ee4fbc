"""``run_analysis``: the whole analysis of a consultation in one call."""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from importlib import metadata

from threadpoolctl import threadpool_limits

from moot.analysis.engine.campaigns import detect_campaigns
from moot.analysis.engine.inputs import (
    AnalysisParams,
    AnalystState,
    QuestionKind,
    QuestionSpec,
    ResponseInput,
)
from moot.analysis.engine.question_analysis import (
    QuestionOutcome,
    RunContext,
    analyse_free_text_question,
)
from moot.analysis.engine.results import AnalysisResult
from moot.analysis.engine.serialization import to_jsonable
from moot.analysis.engine.tallies import tally_closed_questions

ENGINE_VERSION = "0.2.0"

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
    for name in ("numpy", "scipy", "scikit-learn", "tokenizers", "wordllama"):
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
    workers: int = 1,
) -> AnalysisResult:
    """Analyse a consultation: campaigns, closed-question tallies, themes and stance.

    ``previous`` is the last result for the same consultation: its theme registry keeps theme
    ids stable. ``analyst_state`` (edits and hand-coding) is replayed in full on every run.
    ``progress(stage, done, total)`` is called as stages advance. With ``workers`` above 1
    (and where processes can be forked), free-text questions are analysed in that many worker
    processes; the result is the same as with one.
    """
    params = params or AnalysisParams()
    state = analyst_state or AnalystState()
    report = progress or _ignore_progress
    validate_inputs(questions=questions, responses=responses)
    free_questions = [q for q in questions if q.kind is QuestionKind.FREE_TEXT]
    total = 2 + len(free_questions)
    if workers < 1:
        raise ValueError("workers must be at least 1")
    report("campaigns", 0, total)
    campaigns = detect_campaigns(questions=questions, responses=responses, params=params)
    campaign_members = frozenset(campaigns.campaign_of())
    report("closed_questions", 1, total)
    closed = tally_closed_questions(
        questions=questions, responses=responses, campaign_response_ids=campaign_members
    )
    context = RunContext(
        responses=tuple(responses),
        by_id={r.id: r for r in responses},
        questions_by_id={q.id: q for q in questions},
        campaigns=campaigns,
        state=state,
        params=params,
        previous=previous,
    )
    outcomes: dict[str, QuestionOutcome] = {}
    report("themes", 2, total)
    for done, outcome in enumerate(_analyse_questions(context, free_questions, workers)):
        outcomes[outcome.result.question_id] = outcome
        report(f"themes:{outcome.result.question_id}", 2 + done + 1, total)
    ordered = [outcomes[q.id] for q in free_questions]
    notes = [note for o in ordered for note in o.warnings]
    report("done", total, total)
    return AnalysisResult(
        engine_version=ENGINE_VERSION,
        params=params,
        input_fingerprint=input_fingerprint(questions, responses, state),
        library_versions=_library_versions(),
        response_count=len(responses),
        campaigns=campaigns,
        closed_questions=closed,
        free_text_questions={o.result.question_id: o.result for o in ordered},
        theme_registry={o.result.question_id: o.records for o in ordered},
        next_theme_number={o.result.question_id: o.next_number for o in ordered},
        warnings=tuple(notes),
    )


_WORKER_CONTEXT: RunContext | None = None


def _analyse_in_worker(question: QuestionSpec) -> QuestionOutcome:
    assert _WORKER_CONTEXT is not None  # noqa: S101 - set by the parent before forking
    # one BLAS thread per worker: the workers already use the cores
    with threadpool_limits(limits=1):
        return analyse_free_text_question(_WORKER_CONTEXT, question)


def _analyse_questions(
    context: RunContext, questions: Sequence[QuestionSpec], workers: int
) -> Iterator[QuestionOutcome]:
    """Outcomes of each free-text question, in order of completion."""
    if workers <= 1 or len(questions) <= 1 or "fork" not in mp.get_all_start_methods():
        for question in questions:
            # one BLAS thread here too: sums in another order would change NMF and the
            # classifiers in the last digits, and the result must not depend on core count
            with threadpool_limits(limits=1):
                outcome = analyse_free_text_question(context, question)
            yield outcome
        return
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = context
    try:
        with ProcessPoolExecutor(
            max_workers=min(workers, len(questions)), mp_context=mp.get_context("fork")
        ) as pool:
            futures = [pool.submit(_analyse_in_worker, q) for q in questions]
            for future in as_completed(futures):
                yield future.result()
    finally:
        _WORKER_CONTEXT = None
