"""Closed questions: counts and percentages per option, with cross-tabulations by respondent
type, role, region and channel, each including and excluding campaign responses."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from moot.analysis.engine.inputs import QuestionKind, QuestionSpec, ResponseInput, Stance
from moot.analysis.engine.results import ClosedQuestionResult, CrossTab, Tally

NOT_GIVEN = "(not given)"

DIMENSIONS: dict[str, Callable[[ResponseInput], str]] = {
    "respondent_type": lambda r: r.respondent_type.value,
    "role": lambda r: r.role or NOT_GIVEN,
    "region": lambda r: r.region or NOT_GIVEN,
    "channel": lambda r: r.channel.value,
}


def _chosen(question: QuestionSpec, response: ResponseInput) -> tuple[str, ...] | None:
    """The options a response chose (``None`` if unanswered, ``()`` if nothing valid)."""
    answer = response.answers.get(question.id)
    if answer is None or answer == "" or answer == ():
        return None
    chosen = (answer,) if isinstance(answer, str) else tuple(answer)
    if question.kind is not QuestionKind.MULTIPLE_CHOICE and len(chosen) != 1:
        return ()
    valid = set(question.options)
    if any(option not in valid for option in chosen):
        return ()
    return tuple(dict.fromkeys(chosen))


def _tally(question: QuestionSpec, answers: list[tuple[str, ...] | None]) -> Tally:
    counts = dict.fromkeys(question.options, 0)
    answered = 0
    for chosen in answers:
        if chosen:
            answered += 1
            for option in chosen:
                counts[option] += 1
    percentages = {
        option: round(100.0 * count / answered, 2) if answered else 0.0
        for option, count in counts.items()
    }
    stance_counts: dict[str, int] | None = None
    if question.kind is QuestionKind.AGREEMENT_SCALE:
        stance_counts = dict.fromkeys((s.value for s in Stance), 0)
        for option, count in counts.items():
            stance_counts[question.stance_of_option(option).value] += count
    return Tally(
        respondents=len(answers),
        answered=answered,
        counts=counts,
        percentages=percentages,
        stance_counts=stance_counts,
    )


def tally_closed_question(
    *,
    question: QuestionSpec,
    responses: Sequence[ResponseInput],
    campaign_response_ids: Collection[str] = frozenset(),
) -> ClosedQuestionResult:
    """Tally one closed question over ``responses``.

    ``campaign_response_ids`` are left out of the ``excluding_campaigns`` figures. Answers
    naming an unknown option (or several options for a single-choice question) are counted in
    ``invalid_answer_count`` and otherwise treated as unanswered.
    """
    if not question.is_closed:
        raise ValueError(f"question {question.id!r} is not a closed question")
    campaign_ids = frozenset(campaign_response_ids)
    chosen = [_chosen(question, r) for r in responses]
    outside = [c for c, r in zip(chosen, responses, strict=True) if r.id not in campaign_ids]
    cross_tabs: dict[str, CrossTab] = {}
    for dimension, value_of in DIMENSIONS.items():
        groups_all: dict[str, list[tuple[str, ...] | None]] = {}
        groups_outside: dict[str, list[tuple[str, ...] | None]] = {}
        for answer, response in zip(chosen, responses, strict=True):
            value = value_of(response)
            groups_all.setdefault(value, []).append(answer)
            if response.id not in campaign_ids:
                groups_outside.setdefault(value, []).append(answer)
        cross_tabs[dimension] = CrossTab(
            dimension=dimension,
            all_submissions={v: _tally(question, a) for v, a in sorted(groups_all.items())},
            excluding_campaigns={v: _tally(question, a) for v, a in sorted(groups_outside.items())},
        )
    return ClosedQuestionResult(
        question_id=question.id,
        kind=question.kind,
        options=question.options,
        all_submissions=_tally(question, chosen),
        excluding_campaigns=_tally(question, outside),
        cross_tabs=cross_tabs,
        invalid_answer_count=sum(1 for c in chosen if c == ()),
    )


def tally_closed_questions(
    *,
    questions: Sequence[QuestionSpec],
    responses: Sequence[ResponseInput],
    campaign_response_ids: Collection[str] = frozenset(),
) -> dict[str, ClosedQuestionResult]:
    """Tally every closed question (see :func:`tally_closed_question`)."""
    ids = frozenset(campaign_response_ids)
    return {
        q.id: tally_closed_question(question=q, responses=responses, campaign_response_ids=ids)
        for q in questions
        if q.is_closed
    }
