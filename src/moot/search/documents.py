"""What moot searches: one ``SearchDocument`` per question page, written statement,
consultation and document.

The search index and the alert matcher both read these, so a query matches the same things
in both. Builders expect the instance's related rows to be loaded already (see
``SEARCH_PREFETCH``) when they are called for many instances.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.db.models import Model, Prefetch
from django.utils.text import slugify

from moot.consultations.models import Consultation, Document, DocumentVersion
from moot.core.html import html_to_text
from moot.parliament.models import (
    DebateSection,
    Person,
    Speech,
    WrittenAnswer,
    WrittenQuestion,
    WrittenStatement,
)
from moot.parliament.selectors import PEOPLE_WITH_OFFICES, membership_on
from moot.search.aliases import aliases


@dataclass(frozen=True)
class SearchDocument:
    """A searchable page. ``key`` ("question:12") is unique and stable across rebuilds."""

    key: str
    kind: str  # "question", "statement", "consultation", "document" or "debate"
    title: str
    body: str
    url: str
    date: dt.date
    department_slugs: tuple[str, ...] = ()
    department_names: tuple[str, ...] = ()
    member_slugs: tuple[str, ...] = ()
    member_names: tuple[str, ...] = ()
    party_slugs: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict, compare=False)


KINDS: dict[type[Model], str] = {
    WrittenQuestion: "question",
    WrittenStatement: "statement",
    Consultation: "consultation",
    Document: "document",
    DebateSection: "debate",
}


def document_key(instance: Model) -> str:
    return f"{KINDS[type(instance)]}:{instance.pk}"


PEOPLE = Person.objects.prefetch_related(PEOPLE_WITH_OFFICES)

SEARCH_PREFETCH = {
    WrittenQuestion: [
        "department",
        Prefetch("asking_person", queryset=PEOPLE),
        Prefetch(
            "answers",
            queryset=WrittenAnswer.objects.select_related("department").prefetch_related(
                Prefetch("answering_person", queryset=PEOPLE)
            ),
        ),
    ],
    WrittenStatement: ["department", Prefetch("person", queryset=PEOPLE)],
    Consultation: ["department", "sections", "attachments"],
    Document: [
        "department",
        Prefetch("versions", queryset=DocumentVersion.objects.prefetch_related("attachments")),
    ],
    DebateSection: [
        "department",
        Prefetch(
            "speeches",
            queryset=Speech.objects.order_by("position", "id").prefetch_related(
                Prefetch("speaker", queryset=PEOPLE)
            ),
        ),
    ],
}


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def question_document(question: WrittenQuestion) -> SearchDocument:
    answers = list(question.answers.all())
    people: list[tuple[Person, dt.date]] = []
    if question.asking_person is not None:
        people.append((question.asking_person, question.date_tabled or question.date))
    for answer in answers:
        if answer.answering_person is not None:
            people.append((answer.answering_person, answer.date_answered))
    parties = []
    for person, on in people:
        membership = membership_on(person=person, date=on)
        if membership is not None and membership.party is not None:
            parties.append(membership.party.slug)
    departments = [question.department, *(answer.department for answer in answers)]
    body = "\n\n".join([question.text, *(html_to_text(answer.body_html) for answer in answers)])
    return SearchDocument(
        key=document_key(question),
        kind="question",
        title=question.heading,
        body=body,
        url=question.get_absolute_url(),
        date=max([question.date, *(answer.date_answered for answer in answers)]),
        department_slugs=_unique([d.slug for d in departments if d is not None]),
        department_names=_unique([d.name for d in departments if d is not None]),
        member_slugs=_unique([person.slug for person, _ in people]),
        member_names=_unique(
            [question.asking_name, *(answer.answering_name for answer in answers)]
            + [person.name for person, _ in people]
        ),
        party_slugs=_unique(parties),
        extra={"asker": question.asker_display_name},
    )


def statement_document(statement: WrittenStatement) -> SearchDocument:
    """A statement is found by its words, its minister (and their party that day) and its
    department, dated the day it was made."""
    person = statement.person
    membership = membership_on(person=person, date=statement.date) if person else None
    party = membership.party if membership is not None else None
    department = statement.department
    return SearchDocument(
        key=document_key(statement),
        kind="statement",
        title=statement.title,
        body="\n\n".join(
            part for part in (statement.member_role, html_to_text(statement.body_html)) if part
        ),
        url=statement.get_absolute_url(),
        date=statement.date,
        department_slugs=(department.slug,) if department else (),
        department_names=(department.name,) if department else (),
        member_slugs=(person.slug,) if person else (),
        member_names=_unique([statement.speaker_name, person.name if person else ""]),
        party_slugs=(party.slug,) if party else (),
        extra={"speaker": statement.speaker_display_name},
    )


def consultation_document(consultation: Consultation) -> SearchDocument | None:
    """``None`` for a draft: drafts are never searchable."""
    if consultation.published_at is None:
        return None
    parts = [consultation.summary]
    for section in consultation.sections.all():
        parts.extend([section.heading, section.body])
    parts.extend(
        f"{attachment.title}\n{attachment.extracted_text}"
        for attachment in consultation.attachments.all()
    )
    parts.append(consultation_contact_text(consultation))
    return SearchDocument(
        key=document_key(consultation),
        kind="consultation",
        title=consultation.title,
        body="\n\n".join(part for part in parts if part),
        url=consultation.get_absolute_url(),
        date=consultation.opens_at.date(),
        department_slugs=(consultation.department.slug,),
        department_names=(consultation.department.name,),
    )


def consultation_contact_text(consultation: Consultation) -> str:
    """Who to ask and where to send a response, as the consultation's page shows them:
    people search for a unit, an address, a postcode or an email address too."""
    lines = [
        consultation.enquiries_unit,
        consultation.enquiries_telephone,
        consultation.enquiries_email,
        consultation.response_email,
        *consultation.postal_address_lines,
        consultation.alternative_formats_email,
        consultation.external_url,
    ]
    return "\n".join(_unique(lines))


def document_document(document: Document) -> SearchDocument:
    parts = [document.summary, document.body, document.publisher_name]
    for version in document.versions.all():
        parts.append(version.change_note)
        parts.extend(
            f"{attachment.title}\n{attachment.extracted_text}"
            for attachment in version.attachments.all()
        )
    department = document.department
    return SearchDocument(
        key=document_key(document),
        kind="document",
        title=document.title,
        body="\n\n".join(part for part in parts if part),
        url=document.get_absolute_url(),
        date=document.published_on or document.created_at.date(),
        department_slugs=(department.slug,) if department else (),
        department_names=(department.name,) if department else (),
    )


def debate_document(section: DebateSection) -> SearchDocument:
    """One debate section: its headings, and every speech with its speaker."""
    speeches = list(section.speeches.all())
    people = [speech.speaker for speech in speeches if speech.speaker is not None]
    parties = []
    for person in people:
        membership = membership_on(person=person, date=section.date)
        if membership is not None and membership.party is not None:
            parties.append(membership.party.slug)
    department = section.department
    return SearchDocument(
        key=document_key(section),
        kind="debate",
        title=section.title,
        body="\n\n".join(
            [section.major_heading, *(html_to_text(speech.body_html) for speech in speeches)]
        ),
        url=section.get_absolute_url(),
        date=section.date,
        department_slugs=(department.slug,) if department else (),
        department_names=(department.name,) if department else (),
        member_slugs=_unique([person.slug for person in people]),
        member_names=_unique(
            [speech.speaker_name for speech in speeches if speech.speaker_source_id]
            + [person.name for person in people]
        ),
        party_slugs=_unique(parties),
        extra={"place": section.get_location_display()},
    )


def alias_text(document: SearchDocument) -> tuple[str, ...]:
    """Other ways of writing what ``document`` says, which the index holds beside its text
    (``aliases.aliases``): acronyms spelt out and full names as acronyms, in the words
    around them, and postcodes and telephone numbers written without their spaces."""
    return aliases(
        "\n\n".join(
            [document.title, document.body, *document.member_names, *document.department_names]
        )
    )


# The same few hundred names recur in every document: slugify each once.
_slug = functools.lru_cache(maxsize=8192)(slugify)


def filter_values(document: SearchDocument) -> dict[str, tuple[str, ...]]:
    """The values each query filter (``member:``, ``party:``, ``department:``, ``type:``)
    matches for ``document``. The query parser slugifies what is typed, so a member or
    department is found by its slug or by its name ("member:Helen Southworth"), even when a
    record names someone moot has no page for."""
    return {
        "member": _unique([*document.member_slugs, *map(_slug, document.member_names)]),
        "party": document.party_slugs,
        "department": _unique([*document.department_slugs, *map(_slug, document.department_names)]),
        "type": (document.kind,),
    }
