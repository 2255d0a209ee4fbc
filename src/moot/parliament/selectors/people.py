"""Reads of people and the offices they held on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from moot.core.models import Department
from moot.parliament.models import Membership, Person, Post, WrittenAnswer, WrittenQuestion

PEOPLE_WITH_OFFICES = Prefetch(
    "memberships", queryset=Membership.objects.select_related("party", "constituency")
)
PEOPLE_WITH_POSTS = Prefetch("posts", queryset=Post.objects.select_related("department"))


def membership_on(*, person: Person, date: dt.date) -> Membership | None:
    """The seat the person held on ``date`` (uses prefetched memberships when present)."""
    valid = [m for m in person.memberships.all() if m.is_valid_on(date)]
    return max(valid, key=lambda m: m.start_date, default=None)


def post_on(*, person: Person, date: dt.date, department: Department | None = None) -> Post | None:
    """The office the person held on ``date``, preferring one in ``department``."""
    valid = [p for p in person.posts.all() if p.is_valid_on(date)]
    if department is not None:
        in_department = [p for p in valid if p.department_id == department.id]
        valid = in_department or valid
    return max(valid, key=lambda p: p.start_date, default=None)


@dataclass(frozen=True)
class SpeakerOnDate:
    """Who spoke, as they were on the day: a resolved person or just the recorded name."""

    name: str
    person: Person | None
    membership: Membership | None
    post: Post | None

    @property
    def party_name(self) -> str:
        party = self.membership.party if self.membership else None
        return party.name if party else ""

    @property
    def constituency_name(self) -> str:
        constituency = self.membership.constituency if self.membership else None
        return constituency.name if constituency else ""


def speaker_on(
    *,
    person: Person | None,
    recorded_name: str,
    date: dt.date,
    department: Department | None = None,
) -> SpeakerOnDate:
    if person is None:
        return SpeakerOnDate(name=recorded_name, person=None, membership=None, post=None)
    return SpeakerOnDate(
        name=person.name,
        person=person,
        membership=membership_on(person=person, date=date),
        post=post_on(person=person, date=date, department=department),
    )


def person_for_page(*, slug: str) -> Person:
    try:
        return Person.objects.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("party", "constituency").order_by(
                    "-start_date"
                ),
            ),
            Prefetch(
                "posts", queryset=Post.objects.select_related("department").order_by("-start_date")
            ),
        ).get(slug=slug)
    except Person.DoesNotExist:
        raise Http404("No such member") from None


def questions_asked_by(*, person: Person) -> QuerySet[WrittenQuestion]:
    """Newest first, with what a list of them shows."""
    return person.questions_asked.select_related("department").order_by("-date", "-id")


def answers_given_by(*, person: Person) -> QuerySet[WrittenAnswer]:
    """Newest first, each with the questions it answered."""
    return (
        person.answers_given.select_related("department")
        .prefetch_related(
            Prefetch("questions", queryset=WrittenQuestion.objects.order_by("position", "id"))
        )
        .order_by("-date_answered", "-id")
    )
