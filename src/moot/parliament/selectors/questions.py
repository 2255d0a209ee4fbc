"""Reads of written questions and answers: the question page, days, and old identifiers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.urls import reverse

from moot.core.models import Department
from moot.parliament.importers.parlparse import split_gid
from moot.parliament.models import (
    Person,
    WrittenAnswer,
    WrittenQuestion,
    WrittenQuestionRedirect,
)
from moot.parliament.selectors.people import (
    PEOPLE_WITH_OFFICES,
    PEOPLE_WITH_POSTS,
    SpeakerOnDate,
    speaker_on,
)

MAX_REDIRECT_HOPS = 20
PARLPARSE_WRANS = "uk.org.publicwhip/wrans/"


def _question_with_answers() -> QuerySet[WrittenQuestion]:
    """A question with its asker, and its answers with their answerers, the questions each
    answers (with their askers) and attachments: four queries. The speakers' seats and posts
    are loaded afterwards for all of them at once (``_speakers_with_offices``)."""
    return WrittenQuestion.objects.select_related("department", "asking_person").prefetch_related(
        Prefetch(
            "answers",
            queryset=WrittenAnswer.objects.select_related(
                "department", "corrects", "answering_person"
            )
            .prefetch_related(
                Prefetch(
                    "questions",
                    queryset=WrittenQuestion.objects.select_related("asking_person").order_by(
                        "position", "id"
                    ),
                ),
                "attachments",
            )
            .order_by("date_answered", "id"),
        ),
    )


def _speakers_with_offices(people: list[Person | None]) -> None:
    """Every speaker's seats and posts in two queries, however many speakers a page has."""
    present = [person for person in people if person is not None]
    if present:
        prefetch_related_objects(present, PEOPLE_WITH_OFFICES, PEOPLE_WITH_POSTS)


def question_for_page(*, date: dt.date, identifier: str) -> WrittenQuestion:
    try:
        return _question_with_answers().get(date=date, identifier=identifier)
    except WrittenQuestion.DoesNotExist:
        raise Http404("No such written question") from None


def questions_recently_answered(*, limit: int = 10) -> list[WrittenQuestion]:
    answered = WrittenAnswer.questions.through.objects.filter(writtenquestion_id=OuterRef("pk"))
    return list(
        WrittenQuestion.objects.filter(Exists(answered))
        .select_related("department", "asking_person")
        .order_by("-date", "-id")[:limit]
    )


def question_days(*, limit: int = 30) -> list[tuple[dt.date, int]]:
    """The most recent days with written questions, with how many each has."""
    rows = (
        WrittenQuestion.objects.values("date").annotate(count=Count("id")).order_by("-date")[:limit]
    )
    return [(row["date"], row["count"]) for row in rows]


@dataclass(frozen=True)
class AskedQuestion:
    question: WrittenQuestion
    asker: SpeakerOnDate


@dataclass(frozen=True)
class GivenAnswer:
    answer: WrittenAnswer
    answerer: SpeakerOnDate
    corrected_by: tuple[WrittenAnswer, ...] = ()


@dataclass(frozen=True)
class FreedomOfInformation:
    department: Department
    request_url: str


@dataclass(frozen=True)
class QuestionPage:
    """A question with the questions answered together with it, and their answers."""

    questions: list[AskedQuestion]
    answers: list[GivenAnswer]
    previous: WrittenQuestion | None = None
    next: WrittenQuestion | None = None
    foi: FreedomOfInformation | None = None

    @property
    def question_ids(self) -> list[int]:
        return [asked.question.pk for asked in self.questions]


def _asked(question: WrittenQuestion) -> AskedQuestion:
    return AskedQuestion(
        question=question,
        asker=speaker_on(
            person=question.asking_person,
            recorded_name=question.asking_name,
            date=question.date_tabled or question.date,
        ),
    )


def foi_request_url(*, department: Department) -> str:
    """The FOI site's page for asking ``department`` (``settings.FOI_REQUEST_URL``)."""
    return settings.FOI_REQUEST_URL.replace("{slug}", department.foi_site_slug)


def question_page(*, question: WrittenQuestion) -> QuestionPage:
    """Everything the question page shows; expects ``question_for_page``'s prefetching."""
    answers = list(question.answers.all())
    grouped = {question.id: question}
    for answer in answers:
        for other in answer.questions.all():
            grouped.setdefault(other.id, other)
    ordered = sorted(grouped.values(), key=lambda q: (q.position, q.id))
    _speakers_with_offices(
        [q.asking_person for q in ordered] + [answer.answering_person for answer in answers]
    )
    department = question.department or next(
        (answer.department for answer in answers if answer.department), None
    )
    previous, following = question_neighbours(question=question, skip=[q.id for q in ordered])
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
                corrected_by=tuple(a for a in answers if a.corrects_id == answer.pk),
            )
            for answer in answers
        ],
        previous=previous,
        next=following,
        foi=FreedomOfInformation(department, foi_request_url(department=department))
        if department
        else None,
    )


def question_neighbours(
    *, question: WrittenQuestion, skip: list[int]
) -> tuple[WrittenQuestion | None, WrittenQuestion | None]:
    """The questions before and after this one on its day, to the same department.

    One query: a department's questions on one day are a few dozen at most.
    """
    same = (
        WrittenQuestion.objects.filter(date=question.date, house=question.house)
        .filter(
            Q(department_id=question.department_id)
            if question.department_id
            else Q(department__isnull=True)
        )
        .only("date", "identifier", "heading", "position")
        .order_by("position", "id")
    )
    order = [q for q in same if q.id not in skip or q.id == question.id]
    index = next(i for i, q in enumerate(order) if q.id == question.id)
    return (
        order[index - 1] if index > 0 else None,
        order[index + 1] if index + 1 < len(order) else None,
    )


# Days -----------------------------------------------------------------------------------


@dataclass
class HeadingGroup:
    heading: str
    questions: list[WrittenQuestion] = field(default_factory=list)


@dataclass
class DepartmentDay:
    department: Department | None
    house: str
    headings: list[HeadingGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group.questions) for group in self.headings)

    @property
    def anchor(self) -> str:
        return self.department.slug if self.department else f"{self.house}-other"


@dataclass(frozen=True)
class Day:
    date: dt.date
    departments: list[DepartmentDay]
    previous: dt.date | None
    next: dt.date | None

    @property
    def count(self) -> int:
        return sum(group.count for group in self.departments)


def question_day(*, date: dt.date) -> Day:
    """A day's questions by department, then by heading, in the order of the record."""
    answered = WrittenAnswer.questions.through.objects.filter(writtenquestion_id=OuterRef("pk"))
    questions = (
        WrittenQuestion.objects.filter(date=date)
        .select_related("department", "asking_person")
        .annotate(is_answered=Exists(answered))
        .order_by(F("department__name").asc(nulls_last=True), "house", "position", "id")
    )
    departments: list[DepartmentDay] = []
    for (_department, house), in_department in groupby(
        questions, key=lambda q: (q.department_id, q.house if q.department_id is None else "")
    ):
        rows = list(in_department)
        day = DepartmentDay(department=rows[0].department, house=house or rows[0].house)
        for heading, under in groupby(rows, key=lambda q: q.heading):
            day.headings.append(HeadingGroup(heading=heading, questions=list(under)))
        departments.append(day)
    around = WrittenQuestion.objects.aggregate(
        previous=Max("date", filter=Q(date__lt=date)), next=Min("date", filter=Q(date__gt=date))
    )
    return Day(date=date, departments=departments, previous=around["previous"], next=around["next"])


# Old identifiers ------------------------------------------------------------------------


def permalink_redirect(*, date: dt.date, identifier: str) -> str | None:
    """Where an old or shortened permalink leads now, if anywhere.

    ``/written-questions/2009-10-27/295019/`` (the bare question number) leads to the
    question; so does the permalink of a question a newer version of the record removed.
    """
    redirect = (
        WrittenQuestionRedirect.objects.filter(date=date, identifier=identifier)
        .select_related("question")
        .first()
    )
    if redirect is not None:
        if redirect.question is not None:
            return redirect.question.get_absolute_url()
        return source_id_redirect(source_id=redirect.new_source_id)
    return _question_numbered(date=date, number=identifier)


def _question_numbered(*, date: dt.date, number: str) -> str | None:
    candidates = WrittenQuestion.objects.filter(date=date).filter(
        Q(uin__iexact=number) | Q(other_uins__icontains=number)
    )
    for question in candidates.only("date", "identifier", "uin", "other_uins"):
        if number.lower() in {question.uin.lower(), *question.other_uins.lower().split()}:
            return question.get_absolute_url()
    return None


def source_id_redirect(*, source_id: str) -> str | None:
    """The page for an id in a source: a ParlParse gid of any version (old ones follow their
    ``<gidredirect>`` chain), a short gid such as ``2009-10-27a.295019.q0``, or moot's own id
    for a UK Parliament question. None when nothing matches."""
    if not source_id:
        return None
    gid = source_id if "/" in source_id else f"{PARLPARSE_WRANS}{source_id}"
    original = split_gid(gid)
    if original is not None and original.rest.endswith(".h"):
        # An old heading id named after a question number ("altques"): that question.
        numbered = _question_numbered(date=original.date, number=original.rest[:-2])
        if numbered:
            return numbered
    seen = set()
    for _ in range(MAX_REDIRECT_HOPS):
        seen.add(gid)
        url = _page_for_id(gid)
        if url:
            return url
        following = (
            WrittenQuestionRedirect.objects.filter(old_source_id=gid)
            .values_list("new_source_id", flat=True)
            .first()
        )
        if not following or following in seen:
            break
        gid = following
    return _page_for_stable_id(gid)


def _page_for_id(gid: str) -> str | None:
    question = WrittenQuestion.objects.filter(source_id=gid).only("date", "identifier").first()
    if question:
        return question.get_absolute_url()
    answer = WrittenAnswer.objects.filter(source_id=gid).first()
    if answer:
        first = answer.questions.order_by("position", "id").only("date", "identifier").first()
        if first:
            return first.get_absolute_url()
    return None


def _page_for_stable_id(gid: str) -> str | None:
    """The same id in another version, or failing that the day the id belongs to."""
    parts = split_gid(gid)
    if parts is None:
        return None
    on_day = WrittenQuestion.objects.filter(date=parts.date)
    rest = parts.rest
    wanted = {rest, rest[:-2] + ".q0"} if rest.endswith(".h") else {rest}
    for question in on_day.exclude(source_id=None).only("date", "identifier", "source_id"):
        candidate = split_gid(question.source_id or "")
        if candidate is not None and candidate.rest in wanted:
            return question.get_absolute_url()
    if on_day.exists():
        return reverse("parliament:day", kwargs={"date": parts.date.isoformat()})
    return None
