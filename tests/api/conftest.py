"""A small published world for the API tests, and a client that reads JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from moot.consultations.models import (
    AttachmentRole,
    Consultation,
    Document,
    DocumentRelation,
    DocumentVersion,
    RelationKind,
    ResponseSummary,
)
from moot.consultations.services import attachment_create
from moot.core.models import Department
from moot.parliament.models import House, Person, WrittenAnswer, WrittenQuestion
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    DocumentFactory,
    MembershipFactory,
    PartyFactory,
    PersonFactory,
    PostFactory,
    SectionFactory,
    WrittenAnswerFactory,
    WrittenQuestionFactory,
)
from tests.samples import make_pdf

SITE = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings: Any) -> None:
    """Rate-limit counts live in the cache: each test starts with none, and a known site."""
    cache.clear()
    settings.SITE_URL = SITE


def get_json(client: Client, url: str, **headers: str) -> tuple[int, Any]:
    response = client.get(url, headers=headers)
    return response.status_code, response.json()


@dataclass
class World:
    home_office: Department
    dcsf: Department
    asker: Person
    minister: Person
    lord: Person
    answered: WrittenQuestion
    grouped: WrittenQuestion
    unanswered: WrittenQuestion
    lords_question: WrittenQuestion
    answer: WrittenAnswer
    open_consultation: Consultation
    closed_consultation: Consultation
    draft: Consultation
    document: Document
    older_document: Document


@pytest.fixture
def world(db: None) -> World:
    home_office = DepartmentFactory(name="Home Office", slug="home-office", short_name="HO")
    dcsf = DepartmentFactory(
        name="Department for Children, Schools and Families", slug="dcsf", short_name="DCSF"
    )
    labour = PartyFactory()
    conservative = PartyFactory(name="Conservative", slug="conservative")
    asker = PersonFactory(name="Tim Loughton", slug="tim-loughton", family_name="Loughton")
    MembershipFactory(person=asker, party=conservative, start_date=dt.date(1997, 5, 1))
    minister = PersonFactory(name="Beverley Hughes", slug="beverley-hughes")
    MembershipFactory(
        person=minister, party=labour, start_date=dt.date(1997, 5, 1), end_date=dt.date(2010, 4, 12)
    )
    PostFactory(
        person=minister,
        role="Minister of State",
        department=dcsf,
        responsibilities="Children, Young People and Families",
    )
    lord = PersonFactory(name="Lord Example", slug="lord-example")
    MembershipFactory(
        person=lord,
        house=House.LORDS,
        constituency=None,
        party=labour,
        start_date=dt.date(2001, 1, 1),
    )

    answered = WrittenQuestionFactory(
        date=dt.date(2009, 10, 27),
        identifier="295019",
        uin="295019",
        heading="Children: Sexual Exploitation",
        department=dcsf,
        asking_person=asker,
        date_tabled=dt.date(2009, 10, 19),
        text="To ask the Secretary of State what steps he is taking on child sexual exploitation.",
    )
    grouped = WrittenQuestionFactory(
        date=dt.date(2009, 10, 27),
        identifier="295020",
        uin="295020",
        heading="Children: Sexual Exploitation",
        department=dcsf,
        asking_person=asker,
        position=1,
    )
    answer = WrittenAnswerFactory(
        questions=[answered, grouped],
        date_answered=dt.date(2009, 10, 27),
        department=dcsf,
        answering_person=minister,
        body_html="<p>Guidance was published in 2009.</p>",
    )
    answer.attachments.create(
        title="Annex A", url="https://example.org/annex.pdf", file_type="PDF", file_size=1234
    )
    unanswered = WrittenQuestionFactory(
        date=dt.date(2009, 11, 2),
        identifier="300001",
        heading="Police: Manpower",
        department=home_office,
        asking_person=asker,
    )
    lords_question = WrittenQuestionFactory(
        date=dt.date(2008, 3, 4),
        identifier="hl1234",
        house=House.LORDS,
        heading="Prisons",
        department=home_office,
        asking_person=lord,
    )

    now = timezone.now()
    open_consultation = ConsultationFactory(
        slug="safeguarding-children",
        title="Safeguarding children from sexual exploitation",
        department=dcsf,
        opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=30),
        enquiries_email="enquiries@example.org",
    )
    SectionFactory(
        consultation=open_consultation,
        position=1,
        heading="Executive summary",
        kind="executive_summary",
        body="We propose **new** guidance.",
    )
    SectionFactory(
        consultation=open_consultation,
        position=2,
        heading="How to respond",
        kind="how_to_respond",
        body="Online.",
    )
    attachment_create(
        title="Consultation document", data=make_pdf("Safeguarding"), consultation=open_consultation
    )
    closed_consultation = ConsultationFactory(
        slug="school-meals",
        title="School meals",
        department=dcsf,
        opens_at=now - dt.timedelta(days=120),
        closes_at=now - dt.timedelta(days=30),
        analysis_started_at=now - dt.timedelta(days=20),
        outcome_published_at=now - dt.timedelta(days=2),
    )
    ResponseSummary.objects.create(
        consultation=closed_consultation,
        title="Summary of responses",
        body="Most respondents **agreed**.",
        published_at=now - dt.timedelta(days=2),
    )
    draft = ConsultationFactory(
        slug="secret-draft",
        title="A draft nobody may see",
        department=home_office,
        published_at=None,
    )
    SectionFactory(consultation=draft, position=1, heading="Draft section")
    ResponseSummary.objects.create(consultation=draft, title="Draft summary", body="Not yet.")

    document = DocumentFactory(
        slug="safeguarding-guidance",
        title="Safeguarding guidance",
        kind="final_guidance",
        department=dcsf,
        consultation=open_consultation,
        published_on=dt.date(2009, 6, 1),
    )
    version = DocumentVersion.objects.create(
        document=document, number=1, published_on=dt.date(2009, 6, 1), change_note="First."
    )
    attachment_create(
        title="Guidance (PDF)",
        data=make_pdf("Guidance"),
        document_version=version,
        role=AttachmentRole.FINAL_DOCUMENT,
    )
    older_document = DocumentFactory(
        slug="older-guidance", title="Older guidance", department=dcsf, consultation=draft
    )
    DocumentRelation.objects.create(
        subject=document, kind=RelationKind.REPLACES, object=older_document
    )
    return World(
        home_office=home_office,
        dcsf=dcsf,
        asker=asker,
        minister=minister,
        lord=lord,
        answered=answered,
        grouped=grouped,
        unanswered=unanswered,
        lords_question=lords_question,
        answer=answer,
        open_consultation=open_consultation,
        closed_consultation=closed_consultation,
        draft=draft,
        document=document,
        older_document=older_document,
    )


@pytest.fixture
def indexed_world(world: World) -> World:
    """The world, with this test's search index built from it."""
    from moot.search.services import search_index_rebuild

    search_index_rebuild()
    return world
