"""The API's reads of debates."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from moot.core.models import Department
from moot.parliament.models import DebateSection, Person, Speech
from moot.parliament.selectors import PEOPLE_WITH_OFFICES, PEOPLE_WITH_POSTS

DEBATE_ORDER = ("-date", "-id")


def _debates() -> QuerySet[DebateSection]:
    people = Person.objects.prefetch_related(PEOPLE_WITH_OFFICES, PEOPLE_WITH_POSTS)
    return DebateSection.objects.select_related("department").prefetch_related(
        Prefetch(
            "speeches",
            queryset=Speech.objects.select_related("section__department")
            .prefetch_related(Prefetch("speaker", queryset=people))
            .order_by("position", "id"),
        )
    )


def debates_for_api(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    location: str | None = None,
    member: Person | None = None,
    department: Department | None = None,
) -> QuerySet[DebateSection]:
    debates = _debates()
    if date_from is not None:
        debates = debates.filter(date__gte=date_from)
    if date_to is not None:
        debates = debates.filter(date__lte=date_to)
    if location is not None:
        debates = debates.filter(location=location)
    if department is not None:
        debates = debates.filter(department=department)
    if member is not None:
        debates = debates.filter(id__in=Speech.objects.filter(speaker=member).values("section_id"))
    return debates


def debate_for_api(*, location: str, date: dt.date, identifier: str) -> DebateSection:
    try:
        return _debates().get(location=location, date=date, identifier=identifier)
    except DebateSection.DoesNotExist:
        raise Http404("No such debate") from None
