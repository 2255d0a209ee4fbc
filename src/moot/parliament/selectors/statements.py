"""Reads of written ministerial statements: the statement page, lists, days and old ids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from moot.core.models import Department
from moot.parliament.importers.parlparse import split_gid
from moot.parliament.importers.parlparse_statements import STATEMENT_NUMBER
from moot.parliament.models import (
    Person,
    RedirectKind,
    WrittenStatement,
    WrittenStatementLink,
    WrittenStatementRedirect,
)
from moot.parliament.selectors.people import (
    PEOPLE_WITH_OFFICES,
    PEOPLE_WITH_POSTS,
    SpeakerOnDate,
    speaker_on,
)

MAX_REDIRECT_HOPS = 20
PARLPARSE_WMS = "uk.org.publicwhip/wms/"


def statements_listed() -> QuerySet[WrittenStatement]:
    """Statements with what a list of them shows, newest first."""
    return WrittenStatement.objects.select_related("department", "person").order_by(
        "-date", "house", "position", "-id"
    )


def statement_for_page(*, date: dt.date, identifier: str) -> WrittenStatement:
    try:
        return (
            WrittenStatement.objects.select_related("department", "person")
            .prefetch_related(
                "attachments",
                # Import order, the same on every database (link dates may be missing).
                Prefetch("links", queryset=WrittenStatementLink.objects.order_by("id")),
            )
            .get(date=date, identifier=identifier)
        )
    except WrittenStatement.DoesNotExist:
        raise Http404("No such written statement") from None


@dataclass(frozen=True)
class LinkedStatement:
    link: WrittenStatementLink
    statement: WrittenStatement | None  # None while the linked one is not imported


@dataclass(frozen=True)
class StatementPage:
    statement: WrittenStatement
    speaker: SpeakerOnDate
    linked: list[LinkedStatement]
    linked_from: list[WrittenStatementLink]
    previous: WrittenStatement | None = None
    next: WrittenStatement | None = None

    @property
    def post_title(self) -> str:
        """The office the statement was made in: as the source says, else as moot knows."""
        if self.statement.member_role:
            return self.statement.member_role
        return self.speaker.post.title if self.speaker.post else ""


def statement_page(*, statement: WrittenStatement) -> StatementPage:
    """Everything the statement page shows; expects ``statement_for_page``'s prefetching."""
    if statement.person is not None:
        prefetch_related_objects([statement.person], PEOPLE_WITH_OFFICES, PEOPLE_WITH_POSTS)
    links = list(statement.links.all())
    targets = {
        s.source_id: s
        for s in WrittenStatement.objects.filter(
            source_id__in=[link.linked_source_id for link in links]
        ).only("date", "identifier", "title", "house", "source_id")
    }
    linked_from = list(
        WrittenStatementLink.objects.filter(linked_source_id=statement.source_id or "-")
        .exclude(statement=statement)
        .select_related("statement")
        .order_by("id")
        if statement.source_id
        else []
    )
    previous, following = statement_neighbours(statement=statement)
    return StatementPage(
        statement=statement,
        speaker=speaker_on(
            person=statement.person,
            recorded_name=statement.speaker_name,
            date=statement.date,
            department=statement.department,
        ),
        linked=[LinkedStatement(link, targets.get(link.linked_source_id)) for link in links],
        linked_from=linked_from,
        previous=previous,
        next=following,
    )


def statement_neighbours(
    *, statement: WrittenStatement
) -> tuple[WrittenStatement | None, WrittenStatement | None]:
    """The statements before and after this one made in its House that day (one query: a
    day has a few dozen statements at most)."""
    order = list(
        WrittenStatement.objects.filter(date=statement.date, house=statement.house)
        .only("date", "identifier", "title", "position")
        .order_by("position", "id")
    )
    index = next(i for i, s in enumerate(order) if s.pk == statement.pk)
    return (
        order[index - 1] if index > 0 else None,
        order[index + 1] if index + 1 < len(order) else None,
    )


def statements_recent(*, limit: int = 20) -> list[WrittenStatement]:
    return list(statements_listed()[:limit])


def statement_days(*, limit: int = 30) -> list[tuple[dt.date, int]]:
    """The most recent days with written statements, with how many each has."""
    rows = (
        WrittenStatement.objects.values("date")
        .annotate(count=Count("id"))
        .order_by("-date")[:limit]
    )
    return [(row["date"], row["count"]) for row in rows]


@dataclass(frozen=True)
class StatementDay:
    date: dt.date
    statements: list[WrittenStatement]
    previous: dt.date | None
    next: dt.date | None


def statement_day(*, date: dt.date) -> StatementDay:
    """A day's statements, Commons first, in the order of the record."""
    statements = list(
        WrittenStatement.objects.filter(date=date)
        .select_related("department", "person")
        .order_by("house", "position", "id")
    )
    around = WrittenStatement.objects.aggregate(
        previous=Max("date", filter=Q(date__lt=date)), next=Min("date", filter=Q(date__gt=date))
    )
    return StatementDay(
        date=date, statements=statements, previous=around["previous"], next=around["next"]
    )


def statements_for_department(*, department: Department) -> QuerySet[WrittenStatement]:
    return statements_listed().filter(department=department)


def statements_made_by(*, person: Person) -> QuerySet[WrittenStatement]:
    return statements_listed().filter(person=person)


# Old identifiers ------------------------------------------------------------------------


def statement_permalink_redirect(*, date: dt.date, identifier: str) -> str | None:
    """Where an old or shortened statement permalink leads now, if anywhere: the permalink
    of a statement a newer version of the record removed, or the bare statement number
    (``/written-statements/2016-03-01/HCWS563/``)."""
    redirect = WrittenStatementRedirect.objects.filter(
        date=date, identifier=identifier, kind=RedirectKind.PERMALINK
    ).first()
    if redirect is not None:
        return statement_source_redirect(source_id=redirect.new_source_id)
    numbered = (
        WrittenStatement.objects.filter(date=date, uin__iexact=identifier)
        .only("date", "identifier")
        .first()
    )
    return numbered.get_absolute_url() if numbered else None


def statement_source_redirect(*, source_id: str) -> str | None:
    """The page for an id in a source: a ParlParse gid of any version, heading or speech
    (old ones follow their ``<gidredirect>`` chain), a short gid such as
    ``2009-10-27a.11WS.1``, or moot's own id for a UK Parliament statement."""
    if not source_id:
        return None
    gid = source_id if "/" in source_id else f"{PARLPARSE_WMS}{source_id}"
    seen = set()
    for _ in range(MAX_REDIRECT_HOPS):
        seen.add(gid)
        found = WrittenStatement.objects.filter(source_id=gid).only("date", "identifier").first()
        if found:
            return found.get_absolute_url()
        following = (
            WrittenStatementRedirect.objects.filter(old_source_id=gid)
            .values_list("new_source_id", flat=True)
            .first()
        )
        if not following or following in seen:
            break
        gid = following
    return _statement_for_stable_id(gid)


def _statement_for_stable_id(gid: str) -> str | None:
    """The same id in another version; a speech's id leads to its statement (the heading
    before it on the day)."""
    parts = split_gid(gid)
    if parts is None:
        return None
    on_day = list(
        WrittenStatement.objects.filter(date=parts.date, source_id__startswith=PARLPARSE_WMS)
        .only("date", "identifier", "source_id", "house", "position")
        .order_by("house", "position")
    )
    for statement in on_day:
        candidate = split_gid(statement.source_id or "")
        if candidate is not None and candidate.stable == parts.stable:
            return statement.get_absolute_url()
    # A speech's id. Newer ids carry the statement number ("hcws563.0" is under
    # "hcws563.h"); older ones the column, so the speech is under the last heading before it.
    number = parts.rest.split(".")[0].lower()
    if STATEMENT_NUMBER.match(number):
        for statement in on_day:
            candidate = split_gid(statement.source_id or "")
            if candidate is not None and candidate.rest.split(".")[0].lower() == number:
                return statement.get_absolute_url()
        return None
    before = [
        s
        for s in on_day
        if (heading := split_gid(s.source_id or "")) is not None
        and _column_key(heading.rest) < _column_key(parts.rest)
    ]
    return before[-1].get_absolute_url() if before else None


def _column_key(rest: str) -> tuple[int, int]:
    """``11WS.2`` as (11, 2), ``WS1.1`` as (1, 1): the order of ids numbered by column."""
    column, _, place = rest.partition(".")
    digits = "".join(ch for ch in column if ch.isdigit())
    return (int(digits) if digits else 0, int(place) if place.isdigit() else 0)
