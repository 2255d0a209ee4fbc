"""Timeliness of written answers, against figures worked out by hand.

The fixture, January 2024. Sitting days (the days the records hold) are Monday 8 to Friday
12, Monday 15 to Thursday 18 (Friday 19 is not a sitting day) and Monday 22 to Friday 26;
weekends are not sitting days. "Today" is Tuesday 30 January. All questions are to one
department (id 1) unless said otherwise.

Each question, its deadline worked out by hand, and its outcome:

1. Ordinary, tabled Mon 8, answered the same day. Deadline: the fifth sitting day after
   (9, 10, 11, 12, 15), Mon 15. On time.
2. Ordinary, tabled Fri 12, answered Mon 22. Deadline 15, 16, 17, 18, 22: Mon 22, not
   Fri 19 (five weekdays on), because Fri 19 is not a sitting day. On time.
3. Ordinary, tabled Sat 13 (a non-sitting day), answered Tue 23. Deadline Mon 22. Late.
4. Named for Wed 10, tabled Mon 8, answered Wed 10. On time.
5. Named for Wed 10, tabled Mon 8, answered Thu 11. Late, though within five sitting days.
6. Ordinary, tabled Tue 9, holding answer Mon 15, full answer Wed 17. Deadline 10, 11, 12,
   15, 16: Tue 16. The full answer is the one timed: late; and a holding answer.
7. Ordinary, tabled Tue 9, only a holding answer (Mon 15). Deadline Tue 16, passed by the
   30th: late; a holding answer.
8. Ordinary, tabled Wed 10, never answered. Deadline Wed 17, passed: late.
9. Ordinary, tabled Mon 22, never answered. Only 23, 24, 25, 26 are recorded after it:
   the deadline is unknown, so it cannot be timed.
10. Ordinary, tabled Tue 23, answered Wed 24. The deadline is unknown but later than Fri
    26, the last day recorded: on time.
11. Named for Wed 31, tabled Thu 25, not answered by the 30th: not yet due.
12. A ParlParse record (no day tabled, named day unknown) with a holding answer: cannot be
    timed; a holding answer.
13. A Lords question, tabled and answered Mon 8: Lords questions are not timed.

So, by hand: 13 questions; on time 1, 2, 4, 10 (4); late 3, 5, 6, 7, 8 (5); not yet due 11
(1); cannot be timed 9, 12, 13 (3); holding answers 6, 7, 12 (3). On time: 4 of the 9 timed,
44%. The 95% Wilson interval, with z = 1.96, p = 4/9, n = 9: centre (p + z²/2n) / (1 + z²/n)
= (0.4444 + 0.2134) / 1.4268 = 0.4611; half-width z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
= 1.96 · √(0.02743 + 0.01186) / 1.4268 = 0.2723; so 18.9% to 73.3%.
"""

from __future__ import annotations

import datetime as dt

import pytest

from moot.parliament.selectors.timeliness import (
    QuestionFacts,
    Share,
    Timeliness,
    question_deadline,
    question_tallies,
    question_timeliness,
)


def d(day: int) -> dt.date:
    return dt.date(2024, 1, day)


SITTING_DAYS = [d(n) for n in (8, 9, 10, 11, 12, 15, 16, 17, 18, 22, 23, 24, 25, 26)]
TODAY = d(30)


def q(
    tabled: dt.date | None,
    *,
    answered: dt.date | None = None,
    named: dt.date | None = None,
    holding: dt.date | None = None,
    house: str = "commons",
    department: int = 1,
    parlparse: bool = False,
) -> QuestionFacts:
    return QuestionFacts(
        department_id=department,
        house=house,
        record_date=answered or tabled or d(1),
        date_tabled=tabled,
        is_named_day=None if parlparse else named is not None,
        date_for_answer=named,
        answered_on=answered,
        holding_on=holding,
    )


FIXTURE = {
    1: (q(d(8), answered=d(8)), d(15), Timeliness.ON_TIME),
    2: (q(d(12), answered=d(22)), d(22), Timeliness.ON_TIME),
    3: (q(d(13), answered=d(23)), d(22), Timeliness.LATE),
    4: (q(d(8), named=d(10), answered=d(10)), d(10), Timeliness.ON_TIME),
    5: (q(d(8), named=d(10), answered=d(11)), d(10), Timeliness.LATE),
    6: (q(d(9), holding=d(15), answered=d(17)), d(16), Timeliness.LATE),
    7: (q(d(9), holding=d(15)), d(16), Timeliness.LATE),
    8: (q(d(10)), d(17), Timeliness.LATE),
    9: (q(d(22)), None, Timeliness.UNKNOWN),
    10: (q(d(23), answered=d(24)), None, Timeliness.ON_TIME),
    11: (q(d(25), named=d(31)), d(31), Timeliness.NOT_YET_DUE),
    12: (
        q(None, answered=d(16), holding=d(11), parlparse=True),
        None,
        Timeliness.UNKNOWN,
    ),
    13: (q(d(8), answered=d(8), house="lords"), d(15), Timeliness.UNKNOWN),
}


@pytest.mark.parametrize("number", sorted(FIXTURE))
def test_each_question_deadline_and_outcome_as_worked_by_hand(number: int) -> None:
    question, deadline, outcome = FIXTURE[number]
    assert question_deadline(question=question, sitting_days=SITTING_DAYS) == deadline
    assert question_timeliness(question=question, sitting_days=SITTING_DAYS, today=TODAY) == outcome


def test_tally_matches_the_hand_count() -> None:
    tallies = question_tallies(
        questions=[question for question, _, _ in FIXTURE.values()],
        sitting_days=SITTING_DAYS,
        today=TODAY,
    )
    assert list(tallies) == [(1, 2024)]
    tally = tallies[(1, 2024)]
    assert (tally.questions, tally.on_time, tally.late, tally.not_yet_due, tally.unknown) == (
        13,
        4,
        5,
        1,
        3,
    )
    assert tally.holding == 3
    assert tally.assessed == 9
    share = Share.of(tally.on_time, tally.assessed)
    assert share is not None
    assert round(share.low, 3) == 0.189
    assert round(share.high, 3) == 0.733
    assert share.against_standard == "below"


def test_departments_and_years_are_counted_apart() -> None:
    """A question tabled on 29 December 2023 is 2023's, answered in 2024 or not; another
    department's question is its own."""
    days = [dt.date(2023, 12, 29), *SITTING_DAYS]
    tallies = question_tallies(
        questions=[
            q(dt.date(2023, 12, 29), answered=d(9)),  # 8, 9, 10, 11, 12: on time
            q(d(8), answered=d(8), department=2),
            q(d(8), department=2),  # deadline 15th, passed: late
        ],
        sitting_days=days,
        today=TODAY,
    )
    assert {key: (t.on_time, t.late) for key, t in tallies.items()} == {
        (1, 2023): (1, 0),
        (2, 2024): (1, 1),
    }


def test_a_named_day_question_without_its_day_cannot_be_timed() -> None:
    question = QuestionFacts(
        department_id=1,
        house="commons",
        record_date=d(8),
        date_tabled=d(8),
        is_named_day=True,
        date_for_answer=None,
        answered_on=d(9),
    )
    assert question_timeliness(question=question, sitting_days=SITTING_DAYS, today=TODAY) == (
        Timeliness.UNKNOWN
    )


def test_no_sitting_days_recorded_means_nothing_ordinary_can_be_timed() -> None:
    question = q(d(8), answered=d(9))
    assert question_timeliness(question=question, sitting_days=[], today=TODAY) == (
        Timeliness.UNKNOWN
    )


def test_the_standard_is_judged_by_the_interval_not_the_share() -> None:
    """9 of 10 is 90%, but its interval (59.6% to 98.2%) reaches below 85%: too few to tell.
    900 of 1,000 (88.0% to 91.7%) meets it; 700 of 1,000 (67.1% to 72.7%) does not."""
    few = Share.of(9, 10)
    many = Share.of(900, 1000)
    poor = Share.of(700, 1000)
    assert few is not None
    assert many is not None
    assert poor is not None
    assert (round(few.low, 3), round(few.high, 3)) == (0.596, 0.982)
    assert few.against_standard == "unclear"
    assert many.against_standard == "meets"
    assert poor.against_standard == "below"
    assert Share.of(0, 0) is None
