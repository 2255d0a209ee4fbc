"""Rows of the consultation and document datasets (see ``datasets``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from moot.api.opendata.rows import CHUNK, Row, api_link, site_link, slug_of
from moot.api.selectors import summaries_for_api
from moot.api.serializers.consultations import download_path
from moot.consultations.models import Attachment, Consultation, ConsultationSection, Document


def published_consultations() -> Any:
    return Consultation.objects.filter(published_at__isnull=False)


def consultations_rows() -> Iterator[Row]:
    now = timezone.now()
    rows = published_consultations().select_related("department").order_by("opens_at", "id")
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
            "html_url": site_link(c.get_absolute_url()),
            "api_url": api_link("consultation", slug=c.slug),
            "updated_at": c.updated_at,
        }


def sections_rows() -> Iterator[Row]:
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


def documents_rows() -> Iterator[Row]:
    rows = Document.objects.select_related("department", "consultation").order_by("slug")
    for d in rows.iterator(chunk_size=CHUNK):
        consultation = d.consultation
        yield {
            "slug": d.slug,
            "title": d.title,
            "kind": d.kind,
            "department_slug": slug_of(d.department),
            "publisher": d.publisher_name,
            "summary": d.summary,
            "body": d.body,
            "published_on": d.published_on,
            "withdrawn_on": d.withdrawn_on,
            "external_url": d.external_url,
            "consultation_slug": consultation.slug
            if consultation is not None and consultation.published_at is not None
            else None,
            "html_url": site_link(d.get_absolute_url()),
            "api_url": api_link("document", slug=d.slug),
            "updated_at": d.updated_at,
        }


def attachments_rows() -> Iterator[Row]:
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
            "consultation_slug": slug_of(a.consultation),
            "document_slug": version.document.slug if version else None,
            "document_version": version.number if version else None,
            "role": a.role,
            "title": a.title,
            "content_type": a.content_type,
            "size_bytes": a.size_bytes,
            "sha256": a.sha256,
            "page_count": a.page_count,
            "download_url": site_link(download_path(a)),
        }


def summaries_rows() -> Iterator[Row]:
    for s in summaries_for_api().order_by("consultation__slug").iterator(chunk_size=CHUNK):
        yield {
            "consultation_slug": s.consultation.slug,
            "title": s.title,
            "body": s.body,
            "source": s.source,
            "published_at": s.published_at,
            "updated_at": s.updated_at,
            "html_url": site_link(s.get_absolute_url()),
            "api_url": api_link("summary", slug=s.consultation.slug),
        }
