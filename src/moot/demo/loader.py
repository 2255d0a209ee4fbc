"""Loads the demo data: both seed pages with their real facts, and enough more to explore moot.

``load_demo()`` is idempotent: records are found by their slugs and created only when
missing, so a second run adds nothing and never overwrites what staff have edited.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from moot.consultations.models import (
    AttachmentRole,
    Consultation,
    ConsultationSection,
    Document,
    DocumentRelation,
    DocumentVersion,
    ResponseSummary,
)
from moot.consultations.services import attachment_create
from moot.core.models import Department, User
from moot.demo import extras, seed
from moot.demo.analysis import load_demo_analysis
from moot.demo.moderation import load_demo_moderation
from moot.demo.postcodes import load_demo_postcodes
from moot.demo.responses import load_demo_responses
from moot.demo.statements import load_demo_statements
from moot.demo.timeliness import load_demo_timeliness
from moot.parliament.models import (
    Constituency,
    House,
    Membership,
    Party,
    Person,
    Post,
    WrittenAnswer,
    WrittenQuestion,
)
from moot.policy.models import ShortName
from moot.policy.services import mentions_refresh_all

DEMO_STAFF_USERNAME = "demo-staff"
DEMO_SPEAKER_PREFIX = "moot.demo/person/"
DEMO_DEBATES = Path(__file__).resolve().parent / "fixtures" / "debates"


@dataclass
class DemoSummary:
    created: Counter[str] = field(default_factory=Counter)
    staff_password: str | None = None
    staff_two_factor_key: str | None = None

    def add(self, kind: str, was_created: bool) -> None:
        if was_created:
            self.created[kind] += 1


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = paragraphs[0]
    document.add_heading(paragraphs[0], level=0)
    for text in paragraphs[1:]:
        if text[:2].rstrip(".").isdigit():
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _departments(summary: DemoSummary) -> dict[str, Department]:
    departments = {}
    for spec in [seed.DCSF, *extras.DEPARTMENTS]:
        values = dict(spec)
        slug = values.pop("slug")
        department, created = Department.objects.get_or_create(slug=slug, defaults=values)
        summary.add("departments", created)
        departments[slug] = department
    return departments


def _person(summary: DemoSummary, *, slug: str, name: str, given: str, family: str) -> Person:
    person, created = Person.objects.get_or_create(
        slug=slug, defaults={"name": name, "given_name": given, "family_name": family}
    )
    summary.add("people", created)
    return person


def _membership(
    summary: DemoSummary,
    *,
    person: Person,
    party: Party,
    constituency_name: str,
    start: dt.date,
    end: dt.date | None,
) -> None:
    constituency, created = Constituency.objects.get_or_create(
        slug=slugify(constituency_name), defaults={"name": constituency_name}
    )
    summary.add("constituencies", created)
    _, created = Membership.objects.get_or_create(
        person=person,
        house=House.COMMONS,
        start_date=start,
        defaults={"party": party, "constituency": constituency, "end_date": end},
    )
    summary.add("memberships", created)


def _post(
    summary: DemoSummary,
    *,
    person: Person,
    role: str,
    department: Department,
    remit: str,
    start: dt.date,
    end: dt.date | None,
) -> None:
    _, created = Post.objects.get_or_create(
        person=person,
        role=role,
        department=department,
        start_date=start,
        defaults={"responsibilities": remit, "end_date": end},
    )
    summary.add("posts", created)


def _people(summary: DemoSummary, departments: dict[str, Department]) -> dict[str, Person]:
    parties = {}
    for spec in [seed.LABOUR, *extras.PARTIES]:
        party, created = Party.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "short_name": spec["short_name"]}
        )
        summary.add("parties", created)
        parties[party.slug] = party

    people = {}
    for spec in [seed.HELEN_SOUTHWORTH, seed.KEVIN_BRENNAN]:
        person = _person(
            summary,
            slug=spec["slug"],
            name=spec["name"],
            given=spec["given_name"],
            family=spec["family_name"],
        )
        for _house, party_slug, constituency, start, end in spec["memberships"]:
            _membership(
                summary,
                person=person,
                party=parties[party_slug],
                constituency_name=constituency,
                start=start,
                end=end,
            )
        for role, department_slug, remit, start, end in spec["posts"]:
            _post(
                summary,
                person=person,
                role=role,
                department=departments[department_slug],
                remit=remit,
                start=start,
                end=end,
            )
        people[person.slug] = person
    for slug, name, given, family, party_slug, constituency, posts in extras.PEOPLE:
        person = _person(summary, slug=slug, name=name, given=given, family=family)
        _membership(
            summary,
            person=person,
            party=parties[party_slug],
            constituency_name=constituency,
            start=extras.MEMBERSHIP_START,
            end=extras.MEMBERSHIP_END,
        )
        for role, department_slug, remit, start, end in posts:
            _post(
                summary,
                person=person,
                role=role,
                department=departments[department_slug],
                remit=remit,
                start=start,
                end=end,
            )
        # The demo debate names its invented speakers by these ids, in a namespace of the
        # demo's own so that they can never be taken for ParlParse's.
        Person.objects.filter(pk=person.pk, parlparse_id=None).update(
            parlparse_id=f"{DEMO_SPEAKER_PREFIX}{slug}"
        )
        people[slug] = person
    return people


def _portraits(summary: DemoSummary, people: dict[str, Person]) -> None:
    """Drawn portraits (made by code, credited as drawings) for the seed page's members."""
    from moot.demo.portraits import CREDIT, LICENCE, drawn_portrait
    from moot.parliament.services.photos import member_photo_set

    for spec in (seed.HELEN_SOUTHWORTH, seed.KEVIN_BRENNAN):
        person = people[spec["slug"]]
        if person.photo:
            continue
        member_photo_set(
            person=person,
            data=drawn_portrait(slug=person.slug),
            source_name=f"drawing-{person.slug}.png",
            credit=CREDIT,
            licence=LICENCE,
        )
        summary.add("drawn portraits", True)


def _debates(summary: DemoSummary) -> None:
    """A small Westminster Hall debate, imported from ParlParse XML as any day's would be."""
    from moot.parliament.services.debates import debates_import

    imported = debates_import(paths=[DEMO_DEBATES])
    if created := imported.get("sections", "created"):
        summary.created["debates"] += created
    if created := imported.get("speeches", "created"):
        summary.created["speeches"] += created


def _paragraphs_html(paragraphs: list[str]) -> str:
    from django.utils.html import escape

    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def _question(
    summary: DemoSummary,
    *,
    date: dt.date,
    identifier: str,
    heading: str,
    department: Department,
    asker: Person,
    text: str,
    addressed_to: str = "",
) -> tuple[WrittenQuestion, bool]:
    question, created = WrittenQuestion.objects.get_or_create(
        date=date,
        identifier=identifier,
        defaults={
            "heading": heading,
            "department": department,
            "asking_person": asker,
            "asking_name": asker.name,
            "addressed_to": addressed_to,
            "text": text,
        },
    )
    summary.add("written questions", created)
    return question, created


def _answer(
    summary: DemoSummary,
    *,
    questions: list[WrittenQuestion],
    date: dt.date,
    department: Department,
    answerer: Person,
    paragraphs: list[str],
) -> None:
    answer = WrittenAnswer.objects.create(
        date_answered=date,
        department=department,
        answering_person=answerer,
        answering_name=answerer.name,
        body_html=_paragraphs_html(paragraphs),
    )
    answer.questions.set(questions)
    summary.add("written answers", True)


def _written_questions(
    summary: DemoSummary, departments: dict[str, Department], people: dict[str, Person]
) -> None:
    spec = seed.QUESTION
    question, created = _question(
        summary,
        date=spec["date"],
        identifier=spec["identifier"],
        heading=spec["heading"],
        department=departments[spec["department"]],
        asker=people[spec["asker"]],
        text=spec["text"],
        addressed_to=spec["addressed_to"],
    )
    if created:
        _answer(
            summary,
            questions=[question],
            date=spec["date"],
            department=departments[spec["department"]],
            answerer=people[spec["answerer"]],
            paragraphs=spec["answer_paragraphs"],
        )
    for date, identifier, heading, dept, asker, answerer, text, answer in extras.QUESTIONS:
        question, created = _question(
            summary,
            date=date,
            identifier=identifier,
            heading=heading,
            department=departments[dept],
            asker=people[asker],
            text=text,
        )
        if created:
            _answer(
                summary,
                questions=[question],
                date=date,
                department=departments[dept],
                answerer=people[answerer],
                paragraphs=answer,
            )
    grouped = extras.GROUPED_QUESTIONS
    department = departments[grouped["department"]]
    new_questions = []
    for identifier, asker, text in grouped["questions"]:
        question, created = _question(
            summary,
            date=grouped["answer_date"],
            identifier=identifier,
            heading=grouped["heading"],
            department=department,
            asker=people[asker],
            text=text,
        )
        if created:
            new_questions.append(question)
    if new_questions:
        _answer(
            summary,
            questions=new_questions,
            date=grouped["answer_date"],
            department=department,
            answerer=people[grouped["answerer"]],
            paragraphs=grouped["answer"],
        )


def _sections(consultation: Consultation, sections: list[tuple[str, str, str]]) -> None:
    for position, (kind, heading, body) in enumerate(sections, start=1):
        ConsultationSection.objects.create(
            consultation=consultation, position=position, kind=kind, heading=heading, body=body
        )


def _seed_consultation(summary: DemoSummary, departments: dict[str, Department]) -> None:
    values: dict[str, Any] = dict(seed.CONSULTATION)
    slug = values.pop("slug")
    values["opens_at"] = _aware(values["opens_at"])
    values["closes_at"] = _aware(values["closes_at"])
    consultation, created = Consultation.objects.get_or_create(
        slug=slug,
        defaults={
            **values,
            "department": departments[seed.DCSF["slug"]],
            "published_at": values["opens_at"],
            "analysis_started_at": values["closes_at"],
            "outcome_published_at": _aware(seed.OUTCOME_PUBLISHED_AT),
        },
    )
    summary.add("consultations", created)
    if not created:
        return
    _sections(consultation, seed.SECTIONS)
    draft = _docx(seed.DRAFT_GUIDANCE_TEXT)
    attachment_create(
        title="Safeguarding children and young people from sexual exploitation: draft guidance",
        data=draft,
        consultation=consultation,
        role=AttachmentRole.DOCUMENT,
    )
    documents = {}
    for doc_slug, spec in seed.DOCUMENTS.items():
        doc_values = dict(spec)
        if "department" in doc_values:
            doc_values["department"] = departments[doc_values["department"]]
        if "consultation" in doc_values:
            doc_values["consultation"] = consultation
        document, doc_created = Document.objects.get_or_create(slug=doc_slug, defaults=doc_values)
        summary.add("documents", doc_created)
        documents[doc_slug] = document
    draft_version, _ = DocumentVersion.objects.get_or_create(
        document=documents["sexual-exploitation-draft-guidance-2008"],
        number=1,
        defaults={
            "published_on": dt.date(2008, 3, 14),
            "change_note": "Published for consultation.",
        },
    )
    attachment_create(
        title="Draft guidance (Word version)", data=draft, document_version=draft_version
    )
    final_version, _ = DocumentVersion.objects.get_or_create(
        document=documents["sexual-exploitation-guidance-2009"],
        number=1,
        defaults={"published_on": dt.date(2009, 6, 30), "change_note": "First published."},
    )
    final_text = [
        "Safeguarding Children and Young People from Sexual Exploitation",
        "Supplementary guidance to Working Together to Safeguard Children",
        *seed.DRAFT_GUIDANCE_TEXT[2:],
    ]
    final = attachment_create(
        title="Safeguarding Children and Young People from Sexual Exploitation (final guidance)",
        data=_docx(final_text),
        document_version=final_version,
    )
    final.consultation = consultation
    final.role = AttachmentRole.FINAL_DOCUMENT
    final.save(update_fields=["consultation", "role"])
    for subject, kind, obj in seed.RELATIONS:
        _, rel_created = DocumentRelation.objects.get_or_create(
            subject=documents[subject], kind=kind, object=documents[obj]
        )
        summary.add("document relations", rel_created)
    ResponseSummary.objects.get_or_create(
        consultation=consultation,
        defaults={
            **seed.SUMMARY_OF_RESPONSES,
            "published_at": _aware(seed.SUMMARY_OF_RESPONSES["published_at"]),
        },
    )
    for name, doc_slug in seed.SHORT_NAMES:
        ShortName.objects.get_or_create(name=name, document=documents[doc_slug])


def _other_consultations(summary: DemoSummary, departments: dict[str, Department]) -> None:
    today = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    for spec in extras.consultations(today=today):
        values: dict[str, Any] = dict(spec)
        slug = values.pop("slug")
        outcome = values.pop("outcome")
        values["department"] = departments[values["department"]]
        values["published_at"] = values["opens_at"] - dt.timedelta(days=7)
        if outcome == "analysing":
            values["analysis_started_at"] = values["closes_at"] + dt.timedelta(days=2)
        consultation, created = Consultation.objects.get_or_create(slug=slug, defaults=values)
        summary.add("consultations", created)
        if not created:
            continue
        _sections(consultation, extras.STANDARD_SECTIONS)
        attachment_create(
            title=f"{consultation.title}: consultation document",
            data=_docx([consultation.title, "Consultation document", consultation.summary]),
            consultation=consultation,
        )


def _staff(summary: DemoSummary, departments: dict[str, Department]) -> None:
    if User.objects.filter(username=DEMO_STAFF_USERNAME).exists():
        return
    from moot.core.models import TwoFactorDevice
    from moot.core.two_factor import new_secret

    password = secrets.token_urlsafe(12)
    user = User.objects.create_superuser(
        username=DEMO_STAFF_USERNAME,
        email="demo-staff@example.org",
        password=password,
        department=departments[seed.DCSF["slug"]],
    )
    # The demo account's authenticator is set up already, so a tester can sign in with
    # `moot two-factor-code demo-staff` instead of an app (or add the key to an app).
    secret = new_secret()
    TwoFactorDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
    summary.staff_password = password
    summary.staff_two_factor_key = secret
    summary.add("staff accounts", True)


@transaction.atomic
def load_demo() -> DemoSummary:
    """Create the demo records that are missing; atomic, so a failure leaves no half-demo."""
    summary = DemoSummary()
    departments = _departments(summary)
    people = _people(summary, departments)
    _written_questions(summary, departments, people)
    load_demo_statements(summary, departments)
    _debates(summary)
    _portraits(summary, people)
    _seed_consultation(summary, departments)
    _other_consultations(summary, departments)
    load_demo_timeliness(summary, departments, people)
    load_demo_postcodes(summary)
    load_demo_responses(summary)
    load_demo_analysis(summary)
    _staff(summary, departments)
    # Mentions are found in the background as records arrive; the demo finds its own now,
    # so its pages link both ways from the first request.
    if found := mentions_refresh_all().created:
        summary.created["mentions"] += found
    load_demo_moderation(summary, by=User.objects.get(username=DEMO_STAFF_USERNAME))
    return summary
