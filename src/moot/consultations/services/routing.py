"""Questions that branch: a question may be asked only if an earlier answer took given options.

A question's route ("show if") names one earlier choice question and some of its options.
The form asks questions in order, so a route that points at the question itself or at a later
one would loop back; a route whose options are not the trigger question's (or has none) leads
nowhere. Both are refused when staff set a route, and checked again over the whole
questionnaire before it is published, since positions can change afterwards.

Which questions a response is asked follows from its answers alone (``questions_shown``),
so the form, "check your answers" and the submit service all use the same rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction

from moot.consultations.models import (
    Answer,
    Consultation,
    Question,
    QuestionOption,
    Response,
    ResponseStatus,
)
from moot.consultations.selectors.responses import questionnaire
from moot.core.errors import MootError


class RoutingError(MootError):
    """A route that would loop or lead nowhere, or one that can no longer change."""


def _option_ids(question: Question) -> set[int]:
    return {option.pk for option in question.shown_if_options.all()}


def _route_problem(
    *,
    question: Question,
    trigger: Question | None,
    option_ids: Collection[int],
    trigger_option_ids: Collection[int],
) -> str:
    """What is wrong with one route, or "" if nothing is."""
    if trigger is None:
        return ""
    if trigger.pk == question.pk:
        return f"Question {question.key} cannot depend on its own answer: the route would loop."
    if trigger.consultation_id != question.consultation_id:
        return f"Question {question.key} can only depend on a question of the same consultation."
    if trigger.position >= question.position:
        return (
            f"Question {question.key} cannot depend on question {trigger.key}, which comes "
            "after it: the route would loop back."
        )
    if not trigger.is_choice:
        return (
            f"Question {question.key} cannot depend on question {trigger.key}: it has no "
            "options to choose, so the route would lead nowhere."
        )
    if not option_ids:
        return (
            f"Choose at least one answer to question {trigger.key} that leads to question "
            f"{question.key}: a route with none leads nowhere."
        )
    if not set(option_ids) <= set(trigger_option_ids):
        return (
            f"Question {question.key} depends on answers that question {trigger.key} does not "
            "have: the route would lead nowhere."
        )
    return ""


def routing_problems(*, questions: Sequence[Question]) -> list[str]:
    """Every loop or route to nowhere in a questionnaire (its questions with their options
    and routes prefetched, see ``questionnaire``), in question order."""
    by_id = {question.pk: question for question in questions}
    problems = []
    for question in questions:
        if question.shown_if_question_id is None:
            continue
        trigger = by_id.get(question.shown_if_question_id)
        if trigger is None:
            problems.append(
                f"Question {question.key} depends on a question of another consultation."
            )
            continue
        problem = _route_problem(
            question=question,
            trigger=trigger,
            option_ids=_option_ids(question),
            trigger_option_ids={option.pk for option in trigger.options.all()},
        )
        if problem:
            problems.append(problem)
    return problems


def routing_check(*, consultation: Consultation) -> None:
    """Raise ``RoutingError`` naming the first loop or route to nowhere, if any."""
    problems = routing_problems(questions=questionnaire(consultation=consultation))
    if problems:
        raise RoutingError(problems[0])


@transaction.atomic
def question_route_set(
    *,
    question: Question,
    shown_if_question: Question | None,
    shown_if_options: Iterable[QuestionOption] = (),
) -> Question:
    """Ask ``question`` only if the answer to ``shown_if_question`` took one of the options
    (``None`` asks it always). Atomic; raises ``RoutingError`` for a loop, a route to
    nowhere, or once responses have come in (they were asked by the routing as it was)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    received = Response.objects.filter(consultation_id=question.consultation_id).exclude(
        status=ResponseStatus.DRAFT
    )
    if received.exists():
        raise RoutingError(
            "The routing cannot change once responses have come in: they were asked the "
            "questions of the routing as it was."
        )
    options = list(shown_if_options)
    if shown_if_question is not None:
        problem = _route_problem(
            question=question,
            trigger=shown_if_question,
            option_ids={option.pk for option in options},
            trigger_option_ids=set(shown_if_question.options.values_list("pk", flat=True)),
        )
        if problem:
            raise RoutingError(problem)
    question.shown_if_question = shown_if_question
    question.save(update_fields=["shown_if_question", "updated_at"])
    question.shown_if_options.set(options if shown_if_question is not None else [])
    return question


def questions_shown(
    *, questions: Sequence[Question], chosen: Mapping[int, Collection[int]]
) -> set[int]:
    """The ids of the questions a respondent is asked, given the options they chose
    (``chosen``: question id → option ids).

    A routed question is asked if its trigger question was asked and one of its options was
    chosen there. ``questions`` come in order with their route options prefetched; only the
    routed ones matter, the others are always asked.
    """
    shown: set[int] = set()
    hidden: set[int] = set()
    for question in sorted(questions, key=lambda q: q.position):
        trigger_id = question.shown_if_question_id
        if trigger_id is None:
            shown.add(question.pk)
            continue
        leads_here = _option_ids(question) & set(chosen.get(trigger_id, ()))
        if trigger_id not in hidden and leads_here:
            shown.add(question.pk)
        else:
            hidden.add(question.pk)
    return shown


def routed_questions(*, consultation_id: int) -> list[Question]:
    """The questions of a consultation that are asked only after some answers, in order,
    with their route options (empty, in one query, for a questionnaire that never branches)."""
    return list(
        Question.objects.filter(consultation_id=consultation_id, shown_if_question__isnull=False)
        .order_by("position")
        .prefetch_related("shown_if_options")
    )


def _chosen_options(*, response: Response) -> dict[int, set[int]]:
    through = Answer.selected_options.through
    chosen: dict[int, set[int]] = defaultdict(set)
    rows = through.objects.filter(answer__response_id=response.pk).values_list(
        "answer__question_id", "questionoption_id"
    )
    for question_id, option_id in rows:
        chosen[question_id].add(option_id)
    return chosen


def response_questions_hidden(*, response: Response) -> set[int]:
    """The ids of the questions this response's answers skip. Two queries at most, one for a
    questionnaire without routes."""
    routed = routed_questions(consultation_id=response.consultation_id)
    if not routed:
        return set()
    chosen = _chosen_options(response=response)
    return {q.pk for q in routed} - questions_shown(questions=routed, chosen=chosen)


def response_questions_asked(*, response: Response, questions: list[Question]) -> list[Question]:
    """The questions of ``questions`` (the prefetched questionnaire) that this response's
    answers lead to, in order: all of them, without a query, if nothing is routed."""
    if not any(question.is_routed for question in questions):
        return questions
    shown = questions_shown(questions=questions, chosen=_chosen_options(response=response))
    return [question for question in questions if question.pk in shown]


def response_hidden_answers_drop(*, response: Response) -> set[int]:
    """Remove the answers to questions the response's answers now skip (an earlier answer
    changed); the ids of the skipped questions. Call inside the answer's transaction."""
    hidden = response_questions_hidden(response=response)
    if hidden:
        Answer.objects.filter(response=response, question_id__in=hidden).delete()
    return hidden


@dataclass(frozen=True)
class Branch:
    """One answer to a trigger question and the questions it leads to."""

    option: str
    opens: list[Question]


@dataclass(frozen=True)
class Route:
    """A question whose answer decides which later questions are asked."""

    question: Question
    branches: list[Branch]


@dataclass(frozen=True)
class RoutingMap:
    """The routing drawn as a list: each question's condition, and each trigger's branches."""

    conditions: list[tuple[Question, Question | None, list[QuestionOption]]]
    routes: list[Route]
    problems: list[str]


def routing_map(*, questions: Sequence[Question]) -> RoutingMap:
    """The routing of a questionnaire (prefetched, see ``questionnaire``) drawn as a list."""
    by_id = {question.pk: question for question in questions}
    conditions = []
    opened_by: dict[int, list[Question]] = defaultdict(list)
    for question in questions:
        trigger = by_id.get(question.shown_if_question_id or 0)
        options = list(question.shown_if_options.all())
        conditions.append((question, trigger, options))
        for option in options:
            opened_by[option.pk].append(question)
    routes = []
    for question in questions:
        if not any(q.shown_if_question_id == question.pk for q in questions):
            continue
        branches = [
            Branch(option=option.label, opens=opened_by.get(option.pk, []))
            for option in question.options.all()
        ]
        routes.append(Route(question=question, branches=branches))
    return RoutingMap(
        conditions=conditions, routes=routes, problems=routing_problems(questions=questions)
    )
