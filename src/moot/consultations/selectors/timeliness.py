"""Whether departments publish their response to a consultation within 12 weeks of its close.

GOV.UK's consultation principles ask departments to publish the government response within
12 weeks of a consultation closing, or to explain why not. Here the government response is
the consultation's published outcome (``outcome_published_at``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from moot.consultations.models import Consultation
from moot.consultations.selectors.consultations import consultations_published

RESPONSE_WEEKS = 12
RESPONSE_WINDOW = dt.timedelta(weeks=RESPONSE_WEEKS)

ON_TIME = "on_time"
LATE = "late"
NOT_YET_DUE = "not_yet_due"
STILL_OPEN = "still_open"


def consultation_response_due(*, consultation: Consultation) -> dt.datetime:
    """The moment 12 weeks after the consultation closed."""
    return consultation.closes_at + RESPONSE_WINDOW


def consultation_response_overdue(*, consultation: Consultation, now: dt.datetime) -> bool:
    """True when a published consultation closed more than 12 weeks before ``now`` and has
    no published outcome yet."""
    return (
        consultation.published_at is not None
        and consultation.outcome_published_at is None
        and now > consultation_response_due(consultation=consultation)
    )


def consultation_response_timeliness(*, consultation: Consultation, now: dt.datetime) -> str:
    """``on_time``: the outcome came no later than 12 weeks after closing (to the minute);
    ``late``: it came later, or has not come and the 12 weeks are over; ``not_yet_due``:
    closed, no outcome, the 12 weeks not yet over; ``still_open``: not closed yet."""
    if now < consultation.closes_at:
        return STILL_OPEN
    due = consultation_response_due(consultation=consultation)
    if consultation.outcome_published_at is not None:
        return ON_TIME if consultation.outcome_published_at <= due else LATE
    return LATE if now > due else NOT_YET_DUE


@dataclass
class ConsultationResponseTally:
    """One department's consultations that closed in one year (London time)."""

    department_id: int
    year: int
    on_time: int = 0
    late: int = 0
    not_yet_due: int = 0

    @property
    def assessed(self) -> int:
        return self.on_time + self.late


def consultation_response_tallies(
    *, consultations: Iterable[Consultation], now: dt.datetime
) -> dict[tuple[int, int], ConsultationResponseTally]:
    """Consultations counted by department and the year they closed. Drafts and
    consultations still open are left out."""
    tallies: dict[tuple[int, int], ConsultationResponseTally] = {}
    for consultation in consultations:
        if consultation.published_at is None:
            continue
        outcome = consultation_response_timeliness(consultation=consultation, now=now)
        if outcome == STILL_OPEN:
            continue
        year = timezone.localtime(consultation.closes_at).year
        key = (consultation.department_id, year)
        tally = tallies.setdefault(key, ConsultationResponseTally(*key))
        if outcome == ON_TIME:
            tally.on_time += 1
        elif outcome == LATE:
            tally.late += 1
        else:
            tally.not_yet_due += 1
    return tallies


def consultation_response_tallies_by_department(
    *, now: dt.datetime
) -> dict[tuple[int, int], ConsultationResponseTally]:
    """``consultation_response_tallies`` over every published consultation. One query."""
    rows = (
        consultations_published()
        .select_related(None)
        .filter(closes_at__lte=now)
        .only("department_id", "published_at", "closes_at", "outcome_published_at")
    )
    return consultation_response_tallies(consultations=rows, now=now)
