"""How promptly departments answer written questions, and respond to their consultations.

The rules, as the House of Commons Procedure Committee monitors them:

- an **ordinary** question is answered on time when its substantive answer comes no later
  than the fifth sitting day after the day it was tabled (the day tabled not counted);
- a **named-day** question is answered on time when its substantive answer comes no later
  than the day named for answer;
- the Committee's standard is 85% of questions answered on time.

A **holding answer** ("I will write to the honourable Member…") does not stop the clock: the
substantive answer that follows is the one timed. A question with nothing but a holding
answer, or no answer at all, is late once its deadline has passed.

**Sitting days** are taken from the records themselves: a day is a sitting day of the
Commons when moot holds a Commons question tabled that day or a Commons written-answer record
of that day's Hansard. Days answers were given on are not used, because departments answer
in recess too. Where the records hold fewer than five sitting days after a question was
tabled, its ordinary deadline is unknown.

What is **unknown** is counted as unknown, never guessed: ParlParse records give neither the
day a question was tabled nor whether a day was named; Lords questions have a different
standard (answers within ten working days) and are not timed here.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import ExtractYear

from moot.consultations.selectors import (
    ConsultationResponseTally,
    consultation_response_tallies_by_department,
    consultations_published,
)
from moot.core.models import Department
from moot.parliament.models import House, WrittenAnswer, WrittenQuestion
from moot.parliament.selectors.departments import wilson_interval

ORDINARY_SITTING_DAYS = 5
PROCEDURE_COMMITTEE_STANDARD = 0.85


class Timeliness(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    NOT_YET_DUE = "not_yet_due"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class QuestionFacts:
    """What timing a question needs, from its record and its answers."""

    department_id: int | None
    house: str
    record_date: dt.date  # the day the question is filed under
    date_tabled: dt.date | None
    is_named_day: bool | None  # None: the source does not say
    date_for_answer: dt.date | None
    answered_on: dt.date | None = None  # the first substantive answer
    holding_on: dt.date | None = None  # a holding answer, given before any substantive one

    @property
    def year(self) -> int:
        return (self.date_tabled or self.record_date).year


def question_deadline(
    *, question: QuestionFacts, sitting_days: Sequence[dt.date]
) -> dt.date | None:
    """The last day an answer is on time, or None when the records cannot say.

    ``sitting_days`` must be sorted."""
    if question.date_tabled is None or question.is_named_day is None:
        return None
    if question.is_named_day:
        return question.date_for_answer
    first_after = bisect.bisect_right(sitting_days, question.date_tabled)
    fifth = first_after + ORDINARY_SITTING_DAYS - 1
    return sitting_days[fifth] if fifth < len(sitting_days) else None


def question_timeliness(
    *, question: QuestionFacts, sitting_days: Sequence[dt.date], today: dt.date
) -> Timeliness:
    """Whether the question's substantive answer came on time (see the module's rules)."""
    if question.house != House.COMMONS:
        return Timeliness.UNKNOWN
    deadline = question_deadline(question=question, sitting_days=sitting_days)
    if deadline is None:
        recorded_to = sitting_days[-1] if sitting_days else None
        if (
            question.is_named_day is False
            and question.date_tabled is not None
            and question.answered_on is not None
            and recorded_to is not None
            and question.answered_on <= recorded_to
        ):
            # Fewer than five sitting days are recorded after tabling, so the deadline is
            # after the last of them, and this answer came no later than that.
            return Timeliness.ON_TIME
        return Timeliness.UNKNOWN
    if question.answered_on is not None:
        return Timeliness.ON_TIME if question.answered_on <= deadline else Timeliness.LATE
    return Timeliness.LATE if today > deadline else Timeliness.NOT_YET_DUE


@dataclass
class QuestionTally:
    department_id: int | None
    year: int
    questions: int = 0
    on_time: int = 0
    late: int = 0
    not_yet_due: int = 0
    unknown: int = 0
    holding: int = 0

    @property
    def assessed(self) -> int:
        return self.on_time + self.late


def question_tallies(
    *, questions: Iterable[QuestionFacts], sitting_days: Sequence[dt.date], today: dt.date
) -> dict[tuple[int | None, int], QuestionTally]:
    """Questions counted by department and year tabled (the record's day where that is
    unknown): how many were answered on time, late, are not yet due or cannot be timed,
    and how many had a holding answer."""
    tallies: dict[tuple[int | None, int], QuestionTally] = {}
    for question in questions:
        key = (question.department_id, question.year)
        tally = tallies.setdefault(key, QuestionTally(*key))
        tally.questions += 1
        if question.holding_on is not None:
            tally.holding += 1
        outcome = question_timeliness(question=question, sitting_days=sitting_days, today=today)
        if outcome == Timeliness.ON_TIME:
            tally.on_time += 1
        elif outcome == Timeliness.LATE:
            tally.late += 1
        elif outcome == Timeliness.NOT_YET_DUE:
            tally.not_yet_due += 1
        else:
            tally.unknown += 1
    return tallies


def commons_sitting_days(*, start: dt.date | None = None) -> list[dt.date]:
    """Sorted days on which moot holds a Commons question tabled, or a Commons record of
    the day's Hansard (see the module's docstring). Two queries."""
    commons = WrittenQuestion.objects.filter(house=House.COMMONS)
    tabled = commons.exclude(date_tabled=None)
    recorded = commons.filter(date_tabled=None)
    if start is not None:
        tabled = tabled.filter(date_tabled__gte=start)
        recorded = recorded.filter(date__gte=start)
    # order_by(): the model's ordering would otherwise make DISTINCT per row.
    days: set[dt.date] = {
        day for day in tabled.order_by().values_list("date_tabled", flat=True).distinct() if day
    }
    days.update(recorded.order_by().values_list("date", flat=True).distinct())
    return sorted(days)


def question_facts(*, year: int) -> list[QuestionFacts]:
    """The facts of every question (withdrawn ones left out) tabled in ``year``, or filed
    under it where the day tabled is unknown. The department is that of the substantive
    answer when there is one (a question transferred, or a department renamed before it
    answered, is the answering department's), else the one asked. Two queries."""
    questions = WrittenQuestion.objects.filter(is_withdrawn=False).filter(
        Q(date_tabled__year=year) | Q(date_tabled=None, date__year=year)
    )
    rows = questions.values_list(
        "id", "department_id", "house", "date", "date_tabled", "is_named_day", "date_for_answer"
    )
    answered: dict[int, tuple[dt.date, int | None]] = {}
    holding: dict[int, dt.date] = {}
    links = (
        WrittenAnswer.questions.through.objects.filter(writtenquestion__in=questions)
        .values_list(
            "writtenquestion_id",
            "writtenanswer__date_answered",
            "writtenanswer__is_holding",
            "writtenanswer__holding_answer_date",
            "writtenanswer__corrects_id",
            "writtenanswer__department_id",
        )
        .order_by("writtenanswer__date_answered", "writtenanswer_id")
    )
    for question_id, date_answered, is_holding, holding_date, corrects, department in links:
        if corrects is not None:
            continue  # a correction re-answers; the answer it corrects is the one timed
        if is_holding:
            holding.setdefault(question_id, date_answered)
            continue
        answered.setdefault(question_id, (date_answered, department))
        if holding_date is not None:
            holding.setdefault(question_id, holding_date)
    facts = []
    for question_id, department, house, date, tabled, named, for_answer in rows:
        answer = answered.get(question_id)
        facts.append(
            QuestionFacts(
                department_id=(answer[1] or department) if answer else department,
                house=house,
                record_date=date,
                date_tabled=tabled,
                is_named_day=named,
                date_for_answer=for_answer,
                answered_on=answer[0] if answer else None,
                holding_on=holding.get(question_id),
            )
        )
    return facts


def timeliness_years(*, now: dt.datetime) -> list[int]:
    """Years with questions or closed consultations to time, newest first."""
    years = set(
        WrittenQuestion.objects.exclude(date_tabled=None)
        .annotate(year=ExtractYear("date_tabled"))
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    years.update(
        WrittenQuestion.objects.filter(date_tabled=None)
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    years.update(
        consultations_published()
        .select_related(None)
        .filter(closes_at__lte=now)
        .annotate(year=ExtractYear("closes_at"))
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class Share:
    """A share with its 95% Wilson score interval."""

    successes: int
    trials: int
    low: float
    high: float

    @classmethod
    def of(cls, successes: int, trials: int) -> Share | None:
        if trials == 0:
            return None
        low, high = wilson_interval(successes, trials)
        return cls(successes, trials, low, high)

    @property
    def value(self) -> float:
        return self.successes / self.trials

    @property
    def against_standard(self) -> str:
        """``meets`` when even the interval's lower end reaches the 85% standard, ``below``
        when even its upper end falls short, ``unclear`` otherwise."""
        if self.low >= PROCEDURE_COMMITTEE_STANDARD:
            return "meets"
        if self.high < PROCEDURE_COMMITTEE_STANDARD:
            return "below"
        return "unclear"


@dataclass(frozen=True)
class DepartmentTimeliness:
    department: Department | None  # None: questions whose department is not known
    year: int
    questions: QuestionTally
    consultations: ConsultationResponseTally | None

    @property
    def answered_on_time(self) -> Share | None:
        return Share.of(self.questions.on_time, self.questions.assessed)

    @property
    def holding_answers(self) -> Share | None:
        return Share.of(self.questions.holding, self.questions.questions)

    @property
    def responded_on_time(self) -> Share | None:
        if self.consultations is None:
            return None
        return Share.of(self.consultations.on_time, self.consultations.assessed)


def department_timeliness(
    *, year: int, now: dt.datetime, today: dt.date | None = None
) -> list[DepartmentTimeliness]:
    """Each department's timeliness in ``year``: its written questions tabled that year and
    its consultations that closed that year. Ranked like the answer-quality table: by the
    lower end of the Wilson interval of the share answered on time, then by how many were
    timed, then by name; departments with nothing timed last."""
    today = today or now.date()
    # Only days after tabling count towards a deadline, so none before the year is needed.
    sitting_days = commons_sitting_days(start=dt.date(year, 1, 1))
    tallies = question_tallies(
        questions=question_facts(year=year), sitting_days=sitting_days, today=today
    )
    consultation_tallies = {
        key: tally
        for key, tally in consultation_response_tallies_by_department(now=now).items()
        if key[1] == year
    }
    department_ids = {d for d, _ in tallies} | {d for d, _ in consultation_tallies}
    departments = Department.objects.in_bulk([d for d in department_ids if d is not None])
    rows: dict[int | None, DepartmentTimeliness] = {}
    for department_id in department_ids:
        key = (department_id, year)
        rows[department_id] = DepartmentTimeliness(
            department=departments.get(department_id) if department_id is not None else None,
            year=year,
            questions=tallies.get(key) or QuestionTally(department_id, year),
            consultations=(
                consultation_tallies.get((department_id, year))
                if department_id is not None
                else None
            ),
        )
    return sorted(rows.values(), key=_rank)


def _rank(row: DepartmentTimeliness) -> tuple[bool, float, int, bool, str]:
    share = row.answered_on_time
    name = row.department.name if row.department else ""
    return (
        share is None,
        -(share.low if share else 0.0),
        -row.questions.assessed,
        row.department is None,
        name,
    )


def timeliness_summary(rows: Iterable[DepartmentTimeliness]) -> dict[str, Share | None]:
    """The year's totals over every department."""
    rows = list(rows)
    on_time = sum(r.questions.on_time for r in rows)
    assessed = sum(r.questions.assessed for r in rows)
    responded = sum(r.consultations.on_time for r in rows if r.consultations)
    due = sum(r.consultations.assessed for r in rows if r.consultations)
    return {"questions": Share.of(on_time, assessed), "consultations": Share.of(responded, due)}


__all__ = [
    "ORDINARY_SITTING_DAYS",
    "PROCEDURE_COMMITTEE_STANDARD",
    "DepartmentTimeliness",
    "QuestionFacts",
    "QuestionTally",
    "Share",
    "Timeliness",
    "commons_sitting_days",
    "department_timeliness",
    "question_deadline",
    "question_facts",
    "question_tallies",
    "question_timeliness",
    "timeliness_summary",
    "timeliness_years",
]
