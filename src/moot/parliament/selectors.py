"""Reads of people, their offices, and written questions and answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from moot.core.models import Department
from moot.parliament.models import (
    Membership,
    Person,
    Post,
    WrittenAnswer,
    WrittenQuestion,
)

PEOPLE_WITH_OFFICES = Prefetch(
    "memberships", queryset=Membership.objects.select_related("party", "constituency")
)
PEOPLE_WITH_POSTS = Prefetch("posts", queryset=Post.objects.select_related("department"))


def membership_on(*, person: Person, date: dt.date) -> Membership | None:
    """The seat the person held on ``date`` (uses prefetched memberships when present)."""
    valid = [m for m in person.memberships.all() if m.is_valid_on(date)]
    return max(valid, key=lambda m: m.start_date, default=None)


def post_on(*, person: Person, date: dt.date, department: Department | None = None) -> Post | None:
    """The office the person held on ``date``, preferring one in ``department``."""
    valid = [p for p in person.posts.all() if p.is_valid_on(date)]
    if department is not None:
        in_department = [p for p in valid if p.department_id == department.id]
        valid = in_department or valid
    return max(valid, key=lambda p: p.start_date, default=None)


@dataclass(frozen=True)
class SpeakerOnDate:
    """Who spoke, as they were on the day: a resolved person or just the recorded name."""

    name: str
    person: Person | None
    membership: Membership | None
    post: Post | None

    @property
    def party_name(self) -> str:
        party = self.membership.party if self.membership else None
        return party.name if party else ""

    @property
    def constituency_name(self) -> str:
        constituency = self.membership.constituency if self.membership else None
        return constituency.name if constituency else ""


def speaker_on(
    *,
    person: Person | None,
    recorded_name: str,
    date: dt.date,
    department: Department | None = None,
) -> SpeakerOnDate:
    if person is None:
        return SpeakerOnDate(name=recorded_name, person=None, membership=None, post=None)
    return SpeakerOnDate(
        name=person.name,
        person=person,
        membership=membership_on(person=person, date=date),
        post=post_on(person=person, date=date, department=department),
    )


def _questions_with_people() -> QuerySet[WrittenQuestion]:
    people = Person.objects.prefetch_related(PEOPLE_WITH_OFFICES, PEOPLE_WITH_POSTS)
    return WrittenQuestion.objects.select_related("department").prefetch_related(
        Prefetch("asking_person", queryset=people),
        Prefetch(
            "answers",
            queryset=WrittenAnswer.objects.select_related("department").prefetch_related(
                Prefetch("answering_person", queryset=people),
                Prefetch("questions", queryset=WrittenQuestion.objects.order_by("id")),
            ),
        ),
    )


def question_for_page(*, date: dt.date, identifier: str) -> WrittenQuestion:
    try:
        return _questions_with_people().get(date=date, identifier=identifier)
    except WrittenQuestion.DoesNotExist:
        raise Http404("No such written question") from None


def questions_recently_answered(*, limit: int = 10) -> list[WrittenQuestion]:
    return list(
        WrittenQuestion.objects.filter(answers__isnull=False)
        .select_related("department", "asking_person")
        .distinct()
        .order_by("-date", "-id")[:limit]
    )


def question_days(*, limit: int = 30) -> list[tuple[dt.date, int]]:
    """The most recent days with written questions, with how many each has."""
    rows = (
        WrittenQuestion.objects.values("date").annotate(count=Count("id")).order_by("-date")[:limit]
    )
    return [(row["date"], row["count"]) for row in rows]


def person_for_page(*, slug: str) -> Person:
    try:
        return Person.objects.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("party", "constituency").order_by(
                    "-start_date"
                ),
            ),
            Prefetch(
                "posts", queryset=Post.objects.select_related("department").order_by("-start_date")
            ),
        ).get(slug=slug)
    except Person.DoesNotExist:
        raise Http404("No such member") from None


def questions_asked_by(*, person: Person, limit: int = 50) -> list[WrittenQuestion]:
    return list(
        person.questions_asked.select_related("department").order_by("-date", "-id")[:limit]
    )


def answers_given_by(*, person: Person, limit: int = 50) -> list[WrittenAnswer]:
    return list(
        person.answers_given.select_related("department")
        .prefetch_related("questions")
        .order_by("-date_answered", "-id")[:limit]
    )


def department_for_page(*, slug: str) -> Department:
    try:
        return Department.objects.get(slug=slug)
    except Department.DoesNotExist:
        raise Http404("No such department") from None


def questions_for_department(*, department: Department, limit: int = 50) -> list[WrittenQuestion]:
    return list(
        department.written_questions.select_related("asking_person").order_by("-date", "-id")[
            :limit
        ]
    )


@dataclass(frozen=True)
class AskedQuestion:
    question: WrittenQuestion
    asker: SpeakerOnDate


@dataclass(frozen=True)
class GivenAnswer:
    answer: WrittenAnswer
    answerer: SpeakerOnDate


@dataclass(frozen=True)
class QuestionPage:
    """A question with the questions answered together with it, and their answers."""

    questions: list[AskedQuestion]
    answers: list[GivenAnswer]


def _asked(question: WrittenQuestion) -> AskedQuestion:
    return AskedQuestion(
        question=question,
        asker=speaker_on(
            person=question.asking_person,
            recorded_name=question.asking_name,
            date=question.date_tabled or question.date,
        ),
    )


def question_page(*, question: WrittenQuestion) -> QuestionPage:
    """Everything the question page shows; expects ``question_for_page``'s prefetching."""
    answers = list(question.answers.all())
    grouped = {question.id: question}
    for answer in answers:
        for other in answer.questions.all():
            grouped.setdefault(other.id, other)
    others = [q for q in grouped.values() if q.id != question.id]
    if others:
        # The grouped questions were not fetched with their askers: fetch them in one query.
        loaded = {q.id: q for q in _questions_with_people().filter(id__in=[q.id for q in others])}
        others = [loaded[q.id] for q in others]
    ordered = sorted([question, *others], key=lambda q: q.id)
    return QuestionPage(
        questions=[_asked(q) for q in ordered],
        answers=[
            GivenAnswer(
                answer=answer,
                answerer=speaker_on(
                    person=answer.answering_person,
                    recorded_name=answer.answering_name,
                    date=answer.date_answered,
                    department=answer.department,
                ),
            )
            for answer in answers
        ],
    )
