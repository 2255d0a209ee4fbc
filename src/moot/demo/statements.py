"""Illustrative written ministerial statements for the demo: the Department for Children,
Schools and Families announcing the consultation on its sexual exploitation guidance
(March 2008) and the final guidance with the summary of responses (June 2009).

The text and the minister are invented for moot (no real member is shown saying what they
did not say) and each statement says so; the guidance, its dates and the documents it
replaces and supplements are those of the seed consultation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from django.utils.html import escape
from django.utils.text import slugify

from moot.core.models import Department
from moot.demo import seed
from moot.parliament.models import (
    Constituency,
    House,
    Membership,
    Party,
    Person,
    Post,
    WrittenStatement,
)

DEMO_NOTE = (
    "This statement is illustrative demo content written for moot. It is not a record of "
    "Parliament, and the minister is invented."
)

MINISTER: dict[str, Any] = {
    "slug": "eleanor-whitfield",
    "name": "Eleanor Whitfield",
    "given_name": "Eleanor",
    "family_name": "Whitfield",
    "constituency": "Millbrook North",
    "membership": (dt.date(2005, 5, 5), dt.date(2010, 4, 12)),
    "post": (
        "Minister of State",
        "Children, Young People and Families",
        dt.date(2007, 6, 29),
        dt.date(2010, 5, 11),
    ),
}

STATEMENTS: list[dict[str, Any]] = [
    {
        "date": dt.date(2008, 3, 14),
        "identifier": "safeguarding-children-from-sexual-exploitation-consultation-demo-1",
        "title": "Safeguarding Children from Sexual Exploitation: Consultation",
        "position": 0,
        "paragraphs": [
            "I am today launching a consultation on draft guidance, 'Safeguarding Children "
            "and Young People from Sexual Exploitation'. The consultation opens today and "
            "closes on 12 June 2008.",
            "The draft guidance will replace 'Safeguarding Children Involved in "
            "Prostitution', published in 2000, and will be supplementary guidance to "
            "'Working Together to Safeguard Children' (2006). It is addressed to Local "
            "Safeguarding Children Board partners and to practitioners in every agency "
            "working with children and young people.",
            "Copies of the consultation document have been placed in the Library of the House.",
        ],
    },
    {
        "date": dt.date(2009, 6, 30),
        "identifier": "safeguarding-children-from-sexual-exploitation-guidance-demo-2",
        "title": "Safeguarding Children from Sexual Exploitation: Final Guidance",
        "position": 0,
        "paragraphs": [
            "I am today publishing the final guidance, 'Safeguarding Children and Young "
            "People from Sexual Exploitation', together with a summary of the responses to "
            "last year's consultation on the draft.",
            "The guidance replaces 'Safeguarding Children Involved in Prostitution' (2000) "
            "and supplements 'Working Together to Safeguard Children'. Local Safeguarding "
            "Children Boards should now review their local protocols against it.",
        ],
    },
]


class Summary(Protocol):
    def add(self, kind: str, was_created: bool) -> None: ...


def _minister(summary: Summary, department: Department) -> Person:
    person, created = Person.objects.get_or_create(
        slug=MINISTER["slug"],
        defaults={
            "name": MINISTER["name"],
            "given_name": MINISTER["given_name"],
            "family_name": MINISTER["family_name"],
        },
    )
    summary.add("people", created)
    party, created = Party.objects.get_or_create(
        slug=seed.LABOUR["slug"],
        defaults={"name": seed.LABOUR["name"], "short_name": seed.LABOUR["short_name"]},
    )
    summary.add("parties", created)
    constituency, created = Constituency.objects.get_or_create(
        slug=slugify(MINISTER["constituency"]), defaults={"name": MINISTER["constituency"]}
    )
    summary.add("constituencies", created)
    start, end = MINISTER["membership"]
    _, created = Membership.objects.get_or_create(
        person=person,
        house=House.COMMONS,
        start_date=start,
        defaults={"party": party, "constituency": constituency, "end_date": end},
    )
    summary.add("memberships", created)
    role, remit, post_start, post_end = MINISTER["post"]
    _, created = Post.objects.get_or_create(
        person=person,
        role=role,
        department=department,
        start_date=post_start,
        defaults={"responsibilities": remit, "end_date": post_end},
    )
    summary.add("posts", created)
    return person


def load_demo_statements(summary: Summary, departments: dict[str, Department]) -> None:
    """The demo statements and their minister; adds only what is missing."""
    department = departments[seed.DCSF["slug"]]
    minister = _minister(summary, department)
    for spec in STATEMENTS:
        body = "".join(f"<p>{escape(text)}</p>" for text in [*spec["paragraphs"], DEMO_NOTE])
        _, created = WrittenStatement.objects.get_or_create(
            date=spec["date"],
            identifier=spec["identifier"],
            defaults={
                "house": House.COMMONS,
                "title": spec["title"],
                "department": department,
                "person": minister,
                "speaker_name": minister.name,
                "body_html": body,
                "position": spec["position"],
                "source_id": f"moot-demo/written-statement/{spec['identifier']}",
            },
        )
        summary.add("written statements", created)
