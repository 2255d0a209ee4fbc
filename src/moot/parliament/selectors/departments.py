"""Reads of departments: their questions over time, and how readers rate their answers."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from moot.core.models import Department
from moot.parliament.models import AnswerVote, WrittenQuestion

# Months shown one by one up to this many; beyond it, years.
MAX_MONTHS = 24
CHART_WIDTH = 600
CHART_HEIGHT = 200
CHART_GAP = 2
# 1.96: the normal quantile for a 95% interval.
Z_95 = 1.959963984540054


def department_for_page(*, slug: str) -> Department:
    try:
        return Department.objects.get(slug=slug)
    except Department.DoesNotExist:
        raise Http404("No such department") from None


def questions_for_department(*, department: Department) -> QuerySet[WrittenQuestion]:
    """Newest first, with their askers."""
    return department.written_questions.select_related("asking_person").order_by(
        "-date", "-position", "-id"
    )


@dataclass(frozen=True)
class PeriodCount:
    label: str
    start: dt.date
    count: int


@dataclass(frozen=True)
class Bar:
    """One bar of the chart, in the SVG's own units."""

    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class QuestionCounts:
    period: str  # "month" or "year"
    periods: list[PeriodCount]
    bars: list[Bar]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def total(self) -> int:
        return sum(p.count for p in self.periods)

    @property
    def busiest(self) -> int:
        return max((p.count for p in self.periods), default=0)


def department_question_counts(*, department: Department) -> QuestionCounts:
    """Written questions to a department by month (or by year over longer spans), with the
    empty periods between, and the bars of a chart of them. One query."""
    rows = (
        WrittenQuestion.objects.filter(department=department)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    by_month = {_as_date(row["month"]): row["count"] for row in rows}
    if not by_month:
        return QuestionCounts(period="month", periods=[], bars=[])
    first, last = min(by_month), max(by_month)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= MAX_MONTHS:
        periods = []
        for offset in range(months):
            year, month = divmod(first.month - 1 + offset, 12)
            start = dt.date(first.year + year, month + 1, 1)
            periods.append(PeriodCount(f"{start:%B %Y}", start, by_month.get(start, 0)))
        period = "month"
    else:
        by_year: dict[int, int] = {}
        for start, count in by_month.items():
            by_year[start.year] = by_year.get(start.year, 0) + count
        periods = [
            PeriodCount(str(year), dt.date(year, 1, 1), by_year.get(year, 0))
            for year in range(first.year, last.year + 1)
        ]
        period = "year"
    return QuestionCounts(period=period, periods=periods, bars=_bars(periods))


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _bars(periods: list[PeriodCount]) -> list[Bar]:
    busiest = max(p.count for p in periods) or 1
    slot = CHART_WIDTH / len(periods)
    width = max(slot - CHART_GAP, 1)
    bars = []
    for index, period in enumerate(periods):
        height = CHART_HEIGHT * period.count / busiest
        bars.append(
            Bar(
                label=period.label,
                count=period.count,
                x=round(index * slot, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(width, 2),
                height=round(height, 2),
            )
        )
    return bars


def wilson_interval(successes: int, trials: int, *, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a proportion: where the true share probably lies.

    Unlike the share itself it is honest about small numbers: 2 of 2 gives (0.34, 1.0),
    200 of 250 gives (0.75, 0.84).
    """
    if trials == 0:
        return (0.0, 1.0)
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    spread = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    spread /= denominator
    return (max(0.0, centre - spread), min(1.0, centre + spread))


@dataclass(frozen=True)
class AnswerQuality:
    department: Department
    yes: int
    no: int
    low: float
    high: float

    @property
    def votes(self) -> int:
        return self.yes + self.no

    @property
    def share(self) -> float:
        return self.yes / self.votes if self.votes else 0.0


def answer_quality_by_department() -> list[AnswerQuality]:
    """Departments whose answers readers have voted on, ranked by the lower end of the 95%
    Wilson interval of their share of "yes" votes (so a handful of votes cannot outrank
    many), then by votes. Two queries."""
    rows = (
        AnswerVote.objects.exclude(answer__department=None)
        .values("answer__department")
        .annotate(
            yes=Count("id", filter=Q(answers_question=True)),
            no=Count("id", filter=Q(answers_question=False)),
        )
    )
    tallies = {row["answer__department"]: (row["yes"], row["no"]) for row in rows}
    departments = Department.objects.in_bulk(list(tallies))
    ranked = []
    for department_id, (yes, no) in tallies.items():
        low, high = wilson_interval(yes, yes + no)
        ranked.append(AnswerQuality(departments[department_id], yes, no, low, high))
    return sorted(ranked, key=lambda q: (-q.low, -q.votes, q.department.name))
