"""Closed questions: counts and percentages per option, with cross-tabulations by respondent
type, role, region and channel, each including and excluding campaign responses."""

from __future__ import annotations

from collections import Counter
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


class _Counter:
    """Running counts for one tally."""

    __slots__ = ("answered", "counts", "respondents")

    def __init__(self, options: Sequence[str]) -> None:
        self.respondents = 0
        self.answered = 0
        self.counts = dict.fromkeys(options, 0)

    def add(self, chosen: tuple[str, ...] | None, times: int = 1) -> None:
        self.respondents += times
        if chosen:
            self.answered += times
            for option in chosen:
                self.counts[option] += times

    def tally(self, question: QuestionSpec) -> Tally:
        answered = self.answered
        percentages = {
            option: round(100.0 * count / answered, 2) if answered else 0.0
            for option, count in self.counts.items()
        }
        stance_counts: dict[str, int] | None = None
        if question.kind is QuestionKind.AGREEMENT_SCALE:
            stance_counts = dict.fromkeys((s.value for s in Stance), 0)
            for option, count in self.counts.items():
                stance_counts[question.stance_of_option(option).value] += count
        return Tally(
            respondents=self.respondents,
            answered=answered,
            counts=dict(self.counts),
            percentages=percentages,
            stance_counts=stance_counts,
        )


def _dimension_values(responses: Sequence[ResponseInput]) -> list[list[str]]:
    """One column per dimension (in :data:`DIMENSIONS` order), one value per response."""
    return [[value_of(r) for r in responses] for value_of in DIMENSIONS.values()]


def tally_closed_question(
    *,
    question: QuestionSpec,
    responses: Sequence[ResponseInput],
    campaign_response_ids: Collection[str] = frozenset(),
    dimension_values: Sequence[Sequence[str]] | None = None,
) -> ClosedQuestionResult:
    """Tally one closed question over ``responses``.

    ``campaign_response_ids`` are left out of the ``excluding_campaigns`` figures. Answers
    naming an unknown option (or several options for a single-choice question) are counted in
    ``invalid_answer_count`` and otherwise treated as unanswered. ``dimension_values`` may pass
    precomputed cross-tab columns (see :func:`_dimension_values`).
    """
    if not question.is_closed:
        raise ValueError(f"question {question.id!r} is not a closed question")
    campaign_ids = frozenset(campaign_response_ids)
    columns = dimension_values if dimension_values is not None else _dimension_values(responses)
    options = question.options
    memo: dict[object, tuple[str, ...] | None] = {}
    chosen: list[tuple[str, ...] | None] = []
    for response in responses:
        answer = response.answers.get(question.id)
        key = answer if isinstance(answer, str | tuple | type(None)) else repr(answer)
        if key not in memo:
            memo[key] = _chosen(question, response)
        chosen.append(memo[key])
    in_campaign = [r.id in campaign_ids for r in responses]
    overall, outside = _Counter(options), _Counter(options)
    for (flag, picked), times in Counter(zip(in_campaign, chosen, strict=True)).items():
        overall.add(picked, times)
        if not flag:
            outside.add(picked, times)
    cross_tabs: dict[str, CrossTab] = {}
    for dimension, column in zip(DIMENSIONS, columns, strict=True):
        by_all: dict[str, _Counter] = {}
        by_outside: dict[str, _Counter] = {}
        groups = Counter(zip(column, in_campaign, chosen, strict=True))
        for (value, flag, picked), times in groups.items():
            by_all.setdefault(value, _Counter(options)).add(picked, times)
            if not flag:
                by_outside.setdefault(value, _Counter(options)).add(picked, times)
        cross_tabs[dimension] = CrossTab(
            dimension=dimension,
            all_submissions={v: c.tally(question) for v, c in sorted(by_all.items())},
            excluding_campaigns={v: c.tally(question) for v, c in sorted(by_outside.items())},
        )
    return ClosedQuestionResult(
        question_id=question.id,
        kind=question.kind,
        options=options,
        all_submissions=overall.tally(question),
        excluding_campaigns=outside.tally(question),
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
    closed = [q for q in questions if q.is_closed]
    values = _dimension_values(responses) if closed else []
    return {
        q.id: tally_closed_question(
            question=q, responses=responses, campaign_response_ids=ids, dimension_values=values
        )
        for q in closed
    }
