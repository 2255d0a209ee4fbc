"""A small policy world: the seed's documents and consultation, and the seed answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.utils.html import escape

from moot.consultations.models import Consultation, Document, DocumentRelation
from moot.core.models import Department
from moot.parliament.models import WrittenAnswer, WrittenQuestion
from moot.policy.models import ShortName
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    DocumentFactory,
    WrittenAnswerFactory,
    WrittenQuestionFactory,
)

LONDON = ZoneInfo("Europe/London")
SEED_ANSWER = (
    "The Department has taken a number of steps, including publication in April 2006 of the "
    "updated 'Working Together to Safeguard Children', the main inter-agency guide to working "
    "together to safeguard and promote the welfare of children. 'Working Together' stresses "
    "the need to treat children involved in prostitution primarily as the victims of abuse. "
    "We are currently updating 'Safeguarding Children involved in prostitution', which was "
    "originally published in 2000 as supplementary guidance to the 1999 edition of "
    "'Working Together'."
)


@dataclass
class World:
    department: Department
    prostitution: Document
    working_together: Document
    consultation: Consultation
    draft: Document
    final: Document
    question: WrittenQuestion
    answer: WrittenAnswer


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def build_world() -> World:
    department = DepartmentFactory(name="Department for Children, Schools and Families")
    prostitution = DocumentFactory(
        slug="prostitution-2000",
        title="Safeguarding Children Involved in Prostitution",
        published_on=dt.date(2000, 5, 1),
    )
    working_together = DocumentFactory(
        slug="working-together-2006",
        title="Working Together to Safeguard Children",
        published_on=dt.date(2006, 4, 1),
        external_url="http://www.everychildmatters.gov.uk/workingtogether",
    )
    ShortName.objects.create(name="Working Together", document=working_together)
    consultation = ConsultationFactory(
        slug="sexual-exploitation",
        title="Safeguarding children and young people from sexual exploitation: draft guidance",
        department=department,
        opens_at=dt.datetime(2008, 3, 14, 9, tzinfo=LONDON),
        closes_at=dt.datetime(2008, 6, 12, 23, 59, tzinfo=LONDON),
        published_at=dt.datetime(2008, 3, 14, 9, tzinfo=LONDON),
    )
    draft = DocumentFactory(
        slug="draft-2008",
        title=consultation.title,
        kind="draft_guidance",
        department=department,
        consultation=consultation,
        published_on=dt.date(2008, 3, 14),
    )
    final = DocumentFactory(
        slug="final-2009",
        title="Safeguarding Children and Young People from Sexual Exploitation",
        kind="final_guidance",
        department=department,
        consultation=consultation,
        published_on=dt.date(2009, 6, 30),
    )
    for subject, kind, obj in [
        (draft, "replaces", prostitution),
        (draft, "supplements", working_together),
        (final, "final_version_of", draft),
        (final, "replaces", prostitution),
        (final, "supplements", working_together),
    ]:
        DocumentRelation.objects.create(subject=subject, kind=kind, object=obj)
    question = WrittenQuestionFactory(
        date=dt.date(2007, 12, 3),
        identifier="children-sexual-offences",
        heading="Children: Sexual Offences",
        department=department,
        text="To ask the Secretary of State what steps have been taken.",
    )
    answer = WrittenAnswerFactory(
        date_answered=dt.date(2007, 12, 3),
        department=department,
        body_html=f"<p>{escape(SEED_ANSWER)}</p>",
        questions=[question],
    )
    return World(
        department, prostitution, working_together, consultation, draft, final, question, answer
    )
