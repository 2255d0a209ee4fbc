"""Who was the MP for a postcode on a day: answered from the imported ONS Postcode
Directory, with no request to anyone else. The postcode asked about is only read: it is
never written to the database, a log or a URL (the form posts it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from moot.core.errors import MootError
from moot.parliament.importers.onspd import postcode_normalised
from moot.parliament.models import Constituency, House, Membership, Postcode


class PostcodeNotValid(MootError):
    """Not the shape of a UK postcode."""


class PostcodeNotFound(MootError):
    """A postcode's shape, but not in the imported directory."""


@dataclass(frozen=True)
class PostcodeAnswer:
    postcode: str  # as printed: SW1A 0AA
    constituency_code: str
    constituency: Constituency | None  # None: moot does not hold the seat the code names
    member: Membership | None  # None: no member is recorded for the seat that day
    date: dt.date
    members: list[Membership]  # every Commons member of the seat moot holds, newest first


def postcode_displayed(postcode: str) -> str:
    return f"{postcode[:-3]} {postcode[-3:]}"


def member_for_postcode(*, postcode: str, date: dt.date) -> PostcodeAnswer:
    """The Commons seat a postcode lies in and who held it on ``date``. Raises
    ``PostcodeNotValid`` or ``PostcodeNotFound``. Three queries at most, all reads."""
    normalised = postcode_normalised(postcode)
    if normalised is None:
        raise PostcodeNotValid("Enter a full UK postcode, like SW1A 0AA")
    code = (
        Postcode.objects.filter(postcode=normalised)
        .values_list("constituency_code", flat=True)
        .first()
    )
    if code is None:
        raise PostcodeNotFound(
            f"{postcode_displayed(normalised)} is not in the postcode directory moot holds"
        )
    constituency = Constituency.objects.filter(ons_code=code).first()
    members: list[Membership] = []
    if constituency is not None:
        members = list(
            Membership.objects.filter(constituency=constituency, house=House.COMMONS)
            .select_related("person", "party")
            .order_by("-start_date", "-id")
        )
    member = next((m for m in members if m.is_valid_on(date)), None)
    return PostcodeAnswer(
        postcode=postcode_displayed(normalised),
        constituency_code=code,
        constituency=constituency,
        member=member,
        date=date,
        members=members,
    )
