"""The tables of the open-data export: one row generator and column list per dataset.

Rows are flat: the JSON Lines and CSV files of a dataset have the same columns in the same
order (lists stay lists in JSON Lines and are joined with "; " in CSV). Nothing about
consultation respondents is read here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from moot.consultations.models import (
    Attachment,
    Consultation,
    ConsultationSection,
    Document,
)
from moot.core.html import html_to_text
from moot.core.models import Department
from moot.parliament.models import Membership, Person, Post, WrittenAnswer, WrittenQuestion

CHUNK = 2000

OPEN_PARLIAMENT_LICENCE = {
    "name": "Open Parliament Licence v3.0",
    "url": "https://www.parliament.uk/site-information/copyright-parliament/open-parliament-licence/",
}
OPEN_GOVERNMENT_LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}

Row = dict[str, Any]


def columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    licence: dict[str, str]
    columns: tuple[str, ...]
    rows: Callable[[], Iterator[Row]]


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _api(name: str, **kwargs: Any) -> str:
    return _url(reverse(f"api:{name}", kwargs=kwargs))


def _slug(obj: Any) -> str | None:
    return obj.slug if obj is not None else None


def _departments() -> Iterator[Row]:
    for d in Department.objects.order_by("slug").iterator(chunk_size=CHUNK):
        yield {
            "slug": d.slug,
            "name": d.name,
            "short_name": d.short_name,
            "website_url": d.website_url,
            "foi_email": d.foi_email,
            "is_active": d.is_active,
            "parliament_answering_body_id": d.parliament_answering_body_id,
            "html_url": _url(d.get_absolute_url()),
            "api_url": _api("department", slug=d.slug),
            "updated_at": d.updated_at,
        }


def _members() -> Iterator[Row]:
    for p in Person.objects.order_by("slug").iterator(chunk_size=CHUNK):
        yield {
            "slug": p.slug,
            "name": p.name,
            "given_name": p.given_name,
            "family_name": p.family_name,
            "honorific_prefix": p.honorific_prefix,
            "parliament_member_id": p.parliament_member_id,
            "parlparse_id": p.parlparse_id,
            "html_url": _url(p.get_absolute_url()),
            "api_url": _api("member", slug=p.slug),
            "updated_at": p.updated_at,
        }


def _memberships() -> Iterator[Row]:
    rows = Membership.objects.select_related("person", "party", "constituency").order_by(
        "person__slug", "start_date", "id"
    )
    for m in rows.iterator(chunk_size=CHUNK):
        yield {
            "member_slug": m.person.slug,
            "house": m.house,
            "party_slug": _slug(m.party),
            "party_name": m.party.name if m.party else None,
            "constituency_slug": _slug(m.constituency),
            "constituency_name": m.constituency.name if m.constituency else None,
            "start_date": m.start_date,
            "end_date": m.end_date,
            "start_reason": m.start_reason,
            "end_reason": m.end_reason,
            "parlparse_id": m.parlparse_id,
        }


def _posts() -> Iterator[Row]:
    rows = Post.objects.select_related("person", "department").order_by(
        "person__slug", "start_date", "id"
    )
    for p in rows.iterator(chunk_size=CHUNK):
        yield {
            "member_slug": p.person.slug,
            "role": p.role,
            "department_slug": _slug(p.department),
            "organisation": p.organisation,
            "responsibilities": p.responsibilities,
            "start_date": p.start_date,
            "end_date": p.end_date,
        }


def _question_key(question: WrittenQuestion) -> str:
    return f"{question.date.isoformat()}/{question.identifier}"


def _questions() -> Iterator[Row]:
    rows = (
        WrittenQuestion.objects.select_related("department", "asking_person")
        .prefetch_related(Prefetch("answers", queryset=WrittenAnswer.objects.only("id")))
        .order_by("date", "id")
    )
    for q in rows.iterator(chunk_size=CHUNK):
        yield {
            "key": _question_key(q),
            "date": q.date,
            "identifier": q.identifier,
            "house": q.house,
            "uin": q.uin,
            "question_numbers": q.question_numbers,
            "heading": q.heading,
            "department_slug": _slug(q.department),
            "asked_by_slug": _slug(q.asking_person),
            "asking_name": q.asker_display_name,
            "addressed_to": q.addressed_to,
            "text": q.text,
            "date_tabled": q.date_tabled,
            "date_for_answer": q.date_for_answer,
            "is_withdrawn": q.is_withdrawn,
            "is_answered": bool(q.answers.all()),
            "answer_ids": [a.id for a in q.answers.all()],
            "source_url": q.source_url,
            "column": q.column,
            "html_url": _url(q.get_absolute_url()),
            "api_url": _api("question", date=q.date.isoformat(), identifier=q.identifier),
            "updated_at": q.updated_at,
        }


def _answers() -> Iterator[Row]:
    rows = (
        WrittenAnswer.objects.select_related("department", "answering_person")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=WrittenQuestion.objects.only("date", "identifier").order_by(
                    "position", "id"
                ),
            ),
            "attachments",
        )
        .order_by("date_answered", "id")
    )
    for a in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": a.id,
            "date_answered": a.date_answered,
            "question_keys": [_question_key(q) for q in a.questions.all()],
            "answered_by_slug": _slug(a.answering_person),
            "answering_name": a.answerer_display_name,
            "department_slug": _slug(a.department),
            "body_html": a.body_html,
            "body_text": html_to_text(a.body_html),
            "is_holding": a.is_holding,
            "holding_answer_date": a.holding_answer_date,
            "corrects_id": a.corrects_id,
            "source_url": a.source_url,
            "column": a.column,
            "attachment_urls": [f.url for f in a.attachments.all()],
            "updated_at": a.updated_at,
        }


def _published_consultations() -> Any:
    return Consultation.objects.filter(published_at__isnull=False)


def _consultations() -> Iterator[Row]:
    now = timezone.now()
    rows = _published_consultations().select_related("department").order_by("opens_at", "id")
    for c in rows.iterator(chunk_size=CHUNK):
        yield {
            "slug": c.slug,
            "title": c.title,
            "department_slug": c.department.slug,
            "summary": c.summary,
            "status": c.status_at(now).value,
            "opens_at": c.opens_at,
            "closes_at": c.closes_at,
            "published_at": c.published_at,
            "outcome_published_at": c.outcome_published_at,
            "external_url": c.external_url,
            "html_url": _url(c.get_absolute_url()),
            "api_url": _api("consultation", slug=c.slug),
            "updated_at": c.updated_at,
        }


def _sections() -> Iterator[Row]:
    rows = (
        ConsultationSection.objects.filter(consultation__published_at__isnull=False)
        .select_related("consultation")
        .order_by("consultation__slug", "position")
    )
    for s in rows.iterator(chunk_size=CHUNK):
        yield {
            "consultation_slug": s.consultation.slug,
            "position": s.position,
            "kind": s.kind,
            "heading": s.heading,
            "body": s.body,
        }


def _documents() -> Iterator[Row]:
    rows = Document.objects.select_related("department", "consultation").order_by("slug")
    for d in rows.iterator(chunk_size=CHUNK):
        consultation = d.consultation
        yield {
            "slug": d.slug,
            "title": d.title,
            "kind": d.kind,
            "department_slug": _slug(d.department),
            "publisher": d.publisher_name,
            "summary": d.summary,
            "body": d.body,
            "published_on": d.published_on,
            "withdrawn_on": d.withdrawn_on,
            "external_url": d.external_url,
            "consultation_slug": consultation.slug
            if consultation is not None and consultation.published_at is not None
            else None,
            "html_url": _url(d.get_absolute_url()),
            "api_url": _api("document", slug=d.slug),
            "updated_at": d.updated_at,
        }


def _attachments() -> Iterator[Row]:
    from moot.api.serializers.consultations import download_path

    rows = (
        Attachment.objects.exclude(
            consultation__isnull=False, consultation__published_at__isnull=True
        )
        .select_related("consultation", "document_version__document")
        .order_by("id")
    )
    for a in rows.iterator(chunk_size=CHUNK):
        version = a.document_version
        yield {
            "id": a.id,
            "consultation_slug": _slug(a.consultation),
            "document_slug": version.document.slug if version else None,
            "document_version": version.number if version else None,
            "role": a.role,
            "title": a.title,
            "content_type": a.content_type,
            "size_bytes": a.size_bytes,
            "sha256": a.sha256,
            "page_count": a.page_count,
            "download_url": _url(download_path(a)),
        }


def _summaries() -> Iterator[Row]:
    from moot.api.selectors import summaries_for_api

    for s in summaries_for_api().order_by("consultation__slug").iterator(chunk_size=CHUNK):
        yield {
            "consultation_slug": s.consultation.slug,
            "title": s.title,
            "body": s.body,
            "source": s.source,
            "published_at": s.published_at,
            "updated_at": s.updated_at,
            "html_url": _url(s.get_absolute_url()),
            "api_url": _api("summary", slug=s.consultation.slug),
        }


OPL, OGL = OPEN_PARLIAMENT_LICENCE, OPEN_GOVERNMENT_LICENCE

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "departments",
        "Departments",
        OGL,
        columns(
            """
            slug name short_name website_url foi_email is_active
            parliament_answering_body_id html_url api_url updated_at
            """
        ),
        _departments,
    ),
    Dataset(
        "members",
        "Members of either House",
        OPL,
        columns(
            """
            slug name given_name family_name honorific_prefix parliament_member_id
            parlparse_id html_url api_url updated_at
            """
        ),
        _members,
    ),
    Dataset(
        "memberships",
        "Seats held by members",
        OPL,
        columns(
            """
            member_slug house party_slug party_name constituency_slug constituency_name
            start_date end_date start_reason end_reason parlparse_id
            """
        ),
        _memberships,
    ),
    Dataset(
        "posts",
        "Offices held by members",
        OPL,
        columns(
            """
            member_slug role department_slug organisation responsibilities start_date
            end_date
            """
        ),
        _posts,
    ),
    Dataset(
        "questions",
        "Written questions",
        OPL,
        columns(
            """
            key date identifier house uin question_numbers heading department_slug
            asked_by_slug asking_name addressed_to text date_tabled date_for_answer
            is_withdrawn is_answered answer_ids source_url column html_url api_url
            updated_at
            """
        ),
        _questions,
    ),
    Dataset(
        "answers",
        "Written answers",
        OPL,
        columns(
            """
            id date_answered question_keys answered_by_slug answering_name department_slug
            body_html body_text is_holding holding_answer_date corrects_id source_url column
            attachment_urls updated_at
            """
        ),
        _answers,
    ),
    Dataset(
        "consultations",
        "Consultations",
        OGL,
        columns(
            """
            slug title department_slug summary status opens_at closes_at published_at
            outcome_published_at external_url html_url api_url updated_at
            """
        ),
        _consultations,
    ),
    Dataset(
        "consultation_sections",
        "Sections of consultations",
        OGL,
        columns(
            """
            consultation_slug position kind heading body
            """
        ),
        _sections,
    ),
    Dataset(
        "documents",
        "Documents",
        OGL,
        columns(
            """
            slug title kind department_slug publisher summary body published_on withdrawn_on
            external_url consultation_slug html_url api_url updated_at
            """
        ),
        _documents,
    ),
    Dataset(
        "attachments",
        "Files of consultations and documents",
        OGL,
        columns(
            """
            id consultation_slug document_slug document_version role title content_type
            size_bytes sha256 page_count download_url
            """
        ),
        _attachments,
    ),
    Dataset(
        "summaries_of_responses",
        "Summaries of responses",
        OGL,
        columns(
            """
            consultation_slug title body source published_at updated_at html_url api_url
            """
        ),
        _summaries,
    ),
)
