"""Timeliness read from the database and shown on its page.

The records, in January 2024 (sitting days are the days with Commons questions tabled:
Monday 8, Tuesday 9, Wednesday 10, Thursday 11, Friday 12, Monday 15, Tuesday 16):

- Home Office: A tabled Mon 8, answered Mon 15 (the fifth sitting day after: 9, 10, 11, 12,
  15): on time. B tabled Tue 9, holding answer Mon 15, full answer Wed 17 (deadline Tue 16):
  late, with a holding answer. C tabled Wed 10 named for Fri 12, answered Fri 12, later
  corrected on Mon 22 (the correction does not re-time it): on time. D withdrawn: left out.
  E tabled Thu 11 (deadline after Tue 16, the last day recorded), never answered: cannot
  be timed. So 2 of 3 timed on time; 1 holding answer in 4 questions.
- A department renamed: F asked of the "Department for Children, Schools and Families"
  (tabled Mon 8) and answered on Fri 12 by the "Department for Education" that replaced
  it: the answering department's, on time. G asked of the old department, tabled Tue 9 and
  never answered (deadline Tue 16, passed): the old department's, late.
- Consultations of the Home Office that closed in 2024: one answered 12 weeks to the
  minute after closing (on time), one answered a day late, one closed 13 weeks before
  "now" with no response (late), one closed a week before "now" (not yet due), and one
  still open (left out). So 1 of 3 due on time, 1 not yet due.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from moot.parliament.models import House
from moot.parliament.selectors import department_timeliness, timeliness_years
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    WrittenAnswerFactory,
    WrittenQuestionFactory,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 12, 2, 12, 0, tzinfo=dt.UTC)


def d(day: int) -> dt.date:
    return dt.date(2024, 1, day)


def _question(department, tabled, *, named=None, **extra):  # type: ignore[no-untyped-def]
    return WrittenQuestionFactory(
        department=department,
        date=tabled,
        date_tabled=tabled,
        is_named_day=named is not None,
        date_for_answer=named or tabled,
        **extra,
    )


def _answer(department, questions, day, **extra):  # type: ignore[no-untyped-def]
    return WrittenAnswerFactory(
        department=department, questions=questions, date_answered=day, **extra
    )


@pytest.fixture
def records() -> dict[str, object]:
    home = DepartmentFactory(name="Home Office", slug="home-office")
    old = DepartmentFactory(
        name="Department for Children, Schools and Families", slug="dcsf", is_active=False
    )
    new = DepartmentFactory(name="Department for Education", slug="dfe")
    a = _question(home, d(8))
    _answer(home, [a], d(15))
    b = _question(home, d(9))
    _answer(home, [b], d(17), holding_answer_date=d(15))
    c = _question(home, d(10), named=d(12))
    original = _answer(home, [c], d(12))
    _answer(home, [c], d(22), corrects=original)
    _question(home, d(11), is_withdrawn=True)
    _question(home, d(11))
    f = _question(old, d(8))
    _answer(new, [f], d(12))
    _question(old, d(9))
    # Further sitting days, no answers: Friday 12, Monday 15 and Tuesday 16.
    other = DepartmentFactory(name="Wales Office", slug="wales")
    for day in (d(12), d(15), d(16)):
        _question(other, day, house=House.COMMONS, is_withdrawn=False)

    closed = dt.datetime(2024, 3, 1, 23, 59, tzinfo=dt.UTC)
    weeks_12 = dt.timedelta(weeks=12)
    opened = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    ConsultationFactory(
        department=home, opens_at=opened, closes_at=closed, outcome_published_at=closed + weeks_12
    )
    ConsultationFactory(
        department=home,
        opens_at=opened,
        closes_at=closed,
        outcome_published_at=closed + weeks_12 + dt.timedelta(days=1),
    )
    overdue = ConsultationFactory(
        slug="overdue",
        department=home,
        opens_at=opened,
        closes_at=NOW - dt.timedelta(weeks=13),
    )
    ConsultationFactory(department=home, opens_at=opened, closes_at=NOW - dt.timedelta(weeks=1))
    ConsultationFactory(department=home, opens_at=opened, closes_at=NOW + dt.timedelta(weeks=1))
    return {"home": home, "old": old, "new": new, "overdue": overdue}


def test_department_timeliness_matches_the_hand_count(records: dict[str, object]) -> None:
    rows = {
        row.department.slug: row
        for row in department_timeliness(year=2024, now=NOW)
        if row.department
    }
    home = rows["home-office"]
    assert (home.questions.questions, home.questions.on_time, home.questions.late) == (4, 2, 1)
    assert (home.questions.unknown, home.questions.holding) == (1, 1)
    assert home.consultations is not None
    assert (home.consultations.on_time, home.consultations.late) == (1, 2)
    assert home.consultations.not_yet_due == 1
    on_time = home.answered_on_time
    assert on_time is not None
    assert (on_time.successes, on_time.trials) == (2, 3)
    assert rows["dfe"].questions.on_time == 1
    assert (rows["dfe"].questions.questions, rows["dcsf"].questions.questions) == (1, 1)
    assert rows["dcsf"].questions.late == 1


def test_ranked_by_the_lower_end_of_the_interval(records: dict[str, object]) -> None:
    """DfE 1 of 1 (interval from 20.7%), Home Office 2 of 3 (from 20.8%), DCSF 0 of 1
    (from 0%); the Wales Office timed nothing (its three questions' deadlines are not yet
    recorded) and comes last."""
    order = [row.department.slug for row in department_timeliness(year=2024, now=NOW)]
    assert order == ["home-office", "dfe", "dcsf", "wales"]


def test_years_with_figures(records: dict[str, object]) -> None:
    assert timeliness_years(now=NOW) == [2024]


def test_timeliness_page_shows_the_table(client: Client, records: dict[str, object]) -> None:
    with time_machine.travel(NOW, tick=False):
        response = client.get("/written-questions/timeliness/?year=2024")
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "Departments in 2024" in text
    assert "1. Home Office 67% (21% to 94%) 2 of 3 Too few to tell 1 cannot be timed" in text
    assert "25% (5% to 70%) 1 of 4" in text  # holding answers
    assert "33% (6% to 79%) 1 of 3 1 not yet due" in text  # consultations


def test_timeliness_page_refuses_a_year_without_figures(
    client: Client, records: dict[str, object]
) -> None:
    assert client.get("/written-questions/timeliness/?year=1990").status_code == 404
    assert client.get("/written-questions/timeliness/?year=x").status_code == 404


def test_timeliness_page_with_nothing_to_show(client: Client) -> None:
    text = text_of(client.get("/written-questions/timeliness/").content.decode())
    assert "moot holds no written questions or closed consultations to time yet" in text


def test_overdue_consultation_says_so_on_its_page(
    client: Client, records: dict[str, object]
) -> None:
    overdue = records["overdue"]
    text = text_of(client.get(overdue.get_absolute_url()).content.decode())  # type: ignore[attr-defined]
    due = timezone.localtime(overdue.closes_at + dt.timedelta(weeks=12))  # type: ignore[attr-defined]
    assert "Response overdue" in text
    assert f"was due by {due.day} " in text
    assert "has not been published" in text


def test_timeliness_page_takes_a_fixed_number_of_queries(
    client: Client, records: dict[str, object], django_assert_max_num_queries: object
) -> None:
    """The years, the sitting days, the questions, their answers, the consultations and
    the departments: however many there are."""
    home = records["home"]
    for n in range(30):
        question = _question(home, d(8 + n % 5))
        _answer(home, [question], d(16))
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert client.get("/written-questions/timeliness/?year=2024").status_code == 200
