"""Reads of written ministerial statements for the API (all public: imported records)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from moot.api.search import statement_ids_matching
from moot.core.models import Department
from moot.parliament.models import Person, WrittenStatement, WrittenStatementLink
from moot.parliament.selectors import PEOPLE_WITH_OFFICES, PEOPLE_WITH_POSTS

STATEMENT_ORDER = ("-date", "-id")


def _statements() -> QuerySet[WrittenStatement]:
    people = Person.objects.prefetch_related(PEOPLE_WITH_OFFICES, PEOPLE_WITH_POSTS)
    return WrittenStatement.objects.select_related("department").prefetch_related(
        Prefetch("person", queryset=people),
        "attachments",
        # In the order they were imported, the same on every database (link dates may be
        # missing, and databases put nulls at different ends).
        Prefetch("links", queryset=WrittenStatementLink.objects.order_by("id")),
    )


def statements_for_api(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    department: Department | None = None,
    member: Person | None = None,
    house: str | None = None,
    q: str | None = None,
) -> QuerySet[WrittenStatement]:
    """Statements matching every filter given; ``q`` through the search service
    (``SearchUnavailable`` while its index is being built)."""
    statements = _statements()
    if q is not None:
        statements = statements.filter(id__in=statement_ids_matching(query=q))
    if date_from is not None:
        statements = statements.filter(date__gte=date_from)
    if date_to is not None:
        statements = statements.filter(date__lte=date_to)
    if department is not None:
        statements = statements.filter(department=department)
    if member is not None:
        statements = statements.filter(person=member)
    if house is not None:
        statements = statements.filter(house=house)
    return statements


def statement_for_api(*, date: dt.date, identifier: str) -> WrittenStatement:
    try:
        return _statements().get(date=date, identifier=identifier)
    except WrittenStatement.DoesNotExist:
        raise Http404("No written statement has that date and identifier.") from None


def linked_statements_of(rows: list[Any]) -> dict[str, WrittenStatement]:
    """The statements ``rows`` link to that moot holds, by source id, in one query."""
    wanted = {link.linked_source_id for row in rows for link in row.links.all()}
    if not wanted:
        return {}
    return {
        s.source_id or "": s
        for s in WrittenStatement.objects.filter(source_id__in=wanted).only(
            "date", "identifier", "source_id"
        )
    }
