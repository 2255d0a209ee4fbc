"""Reads of debates: a section's page, a day's debates, a member's speeches, old ids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.http import Http404

from moot.parliament.models import (
    DebateLocation,
    DebateRedirect,
    DebateSection,
    Person,
    Speech,
)
from moot.parliament.selectors.people import (
    PEOPLE_WITH_OFFICES,
    PEOPLE_WITH_POSTS,
    SpeakerOnDate,
    speaker_on,
)

MAX_REDIRECT_HOPS = 20
SPEAKERS = Person.objects.prefetch_related(PEOPLE_WITH_OFFICES, PEOPLE_WITH_POSTS)


@dataclass(frozen=True)
class SpokenSpeech:
    speech: Speech
    speaker: SpeakerOnDate | None  # None for a procedural note


@dataclass(frozen=True)
class DebatePage:
    section: DebateSection
    speeches: list[SpokenSpeech]
    previous: DebateSection | None
    next: DebateSection | None


def _location(value: str) -> str:
    if value not in DebateLocation.values:
        raise Http404("No such place")
    return value


def debate_page(*, location: str, date: dt.date, identifier: str) -> DebatePage:
    """A debate section with each speech's speaker as they were that day (party, seat,
    post), in three queries whatever the number of speeches."""
    section = (
        DebateSection.objects.select_related("department")
        .filter(location=_location(location), date=date, identifier=identifier)
        .first()
    )
    if section is None:
        raise Http404("No such debate")
    speeches = section.speeches.prefetch_related(Prefetch("speaker", queryset=SPEAKERS)).order_by(
        "position", "id"
    )
    spoken = [
        SpokenSpeech(
            speech=speech,
            speaker=speaker_on(
                person=speech.speaker,
                recorded_name=speech.speaker_name,
                date=section.date,
                department=section.department,
            )
            if speech.speaker_id or speech.speaker_name
            else None,
        )
        for speech in speeches
    ]
    same_day = DebateSection.objects.filter(date=section.date, location=section.location)
    return DebatePage(
        section=section,
        speeches=spoken,
        previous=same_day.filter(position__lt=section.position).order_by("-position").first(),
        next=same_day.filter(position__gt=section.position).order_by("position").first(),
    )


@dataclass(frozen=True)
class LocationDay:
    location: str
    label: str
    sections: list[DebateSection]

    @property
    def anchor(self) -> str:
        return f"debates-{self.location}"


def debates_on(*, date: dt.date) -> list[LocationDay]:
    """A day's debate sections by place (Commons, Westminster Hall, Lords), in order, each
    with its number of speeches (``speech_count``)."""
    sections = (
        DebateSection.objects.filter(date=date)
        .annotate(speech_count=Count("speeches", filter=~Q(speeches__speaker_name="")))
        .order_by("location", "position")
    )
    order = {value: n for n, value in enumerate(DebateLocation.values)}
    days = [
        LocationDay(location=key, label=DebateLocation(key).label, sections=list(rows))
        for key, rows in groupby(sections, key=lambda s: s.location)
    ]
    return sorted(days, key=lambda day: order[day.location])


def debate_days(*, limit: int = 30) -> list[tuple[dt.date, int]]:
    rows = (
        DebateSection.objects.values("date").annotate(count=Count("id")).order_by("-date")[:limit]
    )
    return [(row["date"], row["count"]) for row in rows]


def debate_day_neighbours(*, date: dt.date) -> tuple[dt.date | None, dt.date | None]:
    around = DebateSection.objects.aggregate(
        previous=Max("date", filter=Q(date__lt=date)), next=Min("date", filter=Q(date__gt=date))
    )
    return around["previous"], around["next"]


def speeches_by(*, person: Person) -> QuerySet[Speech]:
    """A member's speeches, newest first, with their debates."""
    return (
        Speech.objects.filter(speaker=person)
        .select_related("section")
        .order_by("-section__date", "-section__position", "-position")
    )


def debate_source_redirect(*, source_id: str) -> str | None:
    """The page of whatever a ParlParse id (of any version) names now: a section, or a
    speech on its section's page. Follows ``gidredirect`` chains."""
    gid = source_id
    for _ in range(MAX_REDIRECT_HOPS):
        speech = Speech.objects.select_related("section").filter(source_id=gid).first()
        if speech is not None:
            return speech.get_absolute_url()
        section = DebateSection.objects.filter(source_id=gid).first()
        if section is not None:
            return section.get_absolute_url()
        following = (
            DebateRedirect.objects.filter(old_source_id=gid)
            .values_list("new_source_id", flat=True)
            .first()
        )
        if following is None:
            return None
        gid = following
    return None
