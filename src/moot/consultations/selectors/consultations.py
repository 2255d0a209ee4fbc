"""Reads of consultations and documents for public pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from moot.consultations.models import (
    Attachment,
    AttachmentRole,
    Consultation,
    ConsultationSection,
    ConsultationStatus,
    Document,
    DocumentRelation,
    DocumentVersion,
    RelationKind,
)
from moot.core.models import Department


def consultation_status_q(*, status: ConsultationStatus, now: dt.datetime) -> Q:
    """The filter matching consultations in ``status`` at ``now``; mirrors ``status_at``."""
    published = Q(published_at__isnull=False)
    closed = published & Q(closes_at__lte=now)
    conditions = {
        ConsultationStatus.DRAFT: Q(published_at__isnull=True),
        ConsultationStatus.UPCOMING: published & Q(opens_at__gt=now),
        ConsultationStatus.OPEN: published & Q(opens_at__lte=now, closes_at__gt=now),
        ConsultationStatus.CLOSED: closed
        & Q(analysis_started_at__isnull=True, outcome_published_at__isnull=True),
        ConsultationStatus.ANALYSING: closed
        & Q(analysis_started_at__isnull=False, outcome_published_at__isnull=True),
        ConsultationStatus.OUTCOME_PUBLISHED: closed & Q(outcome_published_at__isnull=False),
    }
    return conditions[status]


PUBLIC_STATUSES = [status for status in ConsultationStatus if status != ConsultationStatus.DRAFT]


def consultations_published() -> QuerySet[Consultation]:
    return Consultation.objects.filter(published_at__isnull=False).select_related("department")


def consultation_list(
    *,
    status: ConsultationStatus | None = None,
    department: Department | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Consultation]:
    """Published consultations, newest closing date first, optionally filtered."""
    queryset = consultations_published()
    if status is not None:
        queryset = queryset.filter(consultation_status_q(status=status, now=now or timezone.now()))
    if department is not None:
        queryset = queryset.filter(department=department)
    return queryset.order_by("-closes_at", "title")


def consultations_open(*, now: dt.datetime | None = None) -> QuerySet[Consultation]:
    """Open consultations, closing soonest first."""
    return consultation_list(status=ConsultationStatus.OPEN, now=now).order_by("closes_at")


def departments_with_consultations() -> QuerySet[Department]:
    return Department.objects.filter(consultations__published_at__isnull=False).distinct()


def consultation_for_page(*, slug: str) -> Consultation:
    """A published consultation with everything its page shows, or 404."""
    queryset = (
        consultations_published()
        .select_related("response_summary")
        .prefetch_related(
            Prefetch("sections", queryset=ConsultationSection.objects.order_by("position")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("position", "id")),
            Prefetch("documents", queryset=Document.objects.order_by("published_on")),
        )
    )
    try:
        return queryset.get(slug=slug)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None


def consultation_attachment(*, slug: str, attachment_id: int) -> Attachment:
    try:
        return Attachment.objects.select_related("consultation").get(
            id=attachment_id,
            consultation__slug=slug,
            consultation__published_at__isnull=False,
        )
    except Attachment.DoesNotExist:
        raise Http404("No such attachment") from None


@dataclass(frozen=True)
class RelatedDocument:
    """One relation as read from the document being shown: "<label> <document>"."""

    label: str
    document: Document
    note: str


def document_for_page(*, slug: str) -> Document:
    queryset = Document.objects.select_related("department", "consultation").prefetch_related(
        Prefetch(
            "versions",
            queryset=DocumentVersion.objects.order_by("-number").prefetch_related("attachments"),
        ),
        Prefetch(
            "outgoing_relations",
            queryset=DocumentRelation.objects.select_related("object"),
        ),
        Prefetch(
            "incoming_relations",
            queryset=DocumentRelation.objects.select_related("subject"),
        ),
    )
    try:
        return queryset.get(slug=slug)
    except Document.DoesNotExist:
        raise Http404("No such document") from None


RELATION_ORDER = [
    RelationKind.FINAL_VERSION_OF,
    RelationKind.REPLACES,
    RelationKind.SUPPLEMENTS,
    RelationKind.RESPONDS_TO,
]


def document_relations(*, document: Document) -> list[RelatedDocument]:
    """The document's relations in words, both directions, in a stable order."""
    outgoing = [
        (
            RELATION_ORDER.index(RelationKind(rel.kind)),
            0,
            rel.object.title,
            RelatedDocument(label=rel.get_kind_display(), document=rel.object, note=rel.note),
        )
        for rel in document.outgoing_relations.all()
    ]
    incoming = [
        (
            RELATION_ORDER.index(RelationKind(rel.kind)),
            1,
            rel.subject.title,
            RelatedDocument(label=rel.inverse_label, document=rel.subject, note=rel.note),
        )
        for rel in document.incoming_relations.all()
    ]
    return [item[-1] for item in sorted(outgoing + incoming, key=lambda item: item[:3])]


def document_attachment(*, slug: str, attachment_id: int) -> Attachment:
    try:
        return Attachment.objects.get(id=attachment_id, document_version__document__slug=slug)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment") from None


def final_document_current(*, consultation: Consultation) -> Attachment | None:
    """The consultation's final document, not counting those a newer one replaced."""
    return Attachment.objects.filter(
        consultation=consultation, role=AttachmentRole.FINAL_DOCUMENT, superseded_at=None
    ).first()
