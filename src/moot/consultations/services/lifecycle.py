"""A consultation's life: draft → upcoming → open → closed → analysing → outcome published.

Upcoming, open and closed follow from the dates once a consultation is published; the other
steps are staff actions, each a service here that raises ``InvalidTransition`` when the
consultation is not in a state it can be taken from.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from moot.consultations.models import (
    Attachment,
    AttachmentRole,
    Consultation,
    ConsultationStatus,
    ResponseSummary,
    SummarySource,
)
from moot.consultations.selectors.consultations import final_document_current
from moot.consultations.services.attachments import attachment_create
from moot.consultations.services.routing import RoutingError, routing_check
from moot.core.errors import InvalidTransition
from moot.core.models import User

logger = logging.getLogger(__name__)


def _require(
    consultation: Consultation, allowed: set[ConsultationStatus], now: dt.datetime, action: str
) -> None:
    status = consultation.status_at(now)
    if status not in allowed:
        raise InvalidTransition(f"You cannot {action}: the consultation is {status.label.lower()}.")


def _locked(consultation: Consultation) -> Consultation:
    """Re-read the consultation under a row lock, so two staff actions cannot interleave."""
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _transition(
    consultation: Consultation,
    *,
    allowed: ConsultationStatus,
    action: str,
    field: str,
    by: User,
    now: dt.datetime | None,
) -> Consultation:
    """Set ``field`` to now if the consultation is ``allowed``, under a row lock."""
    now = now or timezone.now()
    consultation = _locked(consultation)
    _require(consultation, {allowed}, now, action)
    setattr(consultation, field, now)
    consultation.save(update_fields=[field, "updated_at"])
    logger.info("%s did %r to consultation %s", by, action, consultation.slug)
    return consultation


@transaction.atomic
def consultation_publish(
    *, consultation: Consultation, by: User, now: dt.datetime | None = None
) -> Consultation:
    """Publish a draft: it becomes upcoming or open, according to its dates. Refused while
    its questionnaire's routing loops or leads nowhere."""
    try:
        routing_check(consultation=consultation)
    except RoutingError as error:
        raise InvalidTransition(f"The consultation cannot be published: {error}") from error
    return _transition(
        consultation,
        allowed=ConsultationStatus.DRAFT,
        action="publish it",
        field="published_at",
        by=by,
        now=now,
    )


@transaction.atomic
def consultation_close_early(
    *, consultation: Consultation, by: User, now: dt.datetime | None = None
) -> Consultation:
    """Close an open consultation now, before its closing date."""
    return _transition(
        consultation,
        allowed=ConsultationStatus.OPEN,
        action="close it early",
        field="closes_at",
        by=by,
        now=now,
    )


@transaction.atomic
def consultation_start_analysis(
    *, consultation: Consultation, by: User, now: dt.datetime | None = None
) -> Consultation:
    """Mark a closed consultation as having its responses analysed."""
    return _transition(
        consultation,
        allowed=ConsultationStatus.CLOSED,
        action="start the analysis",
        field="analysis_started_at",
        by=by,
        now=now,
    )


@transaction.atomic
def response_summary_save(
    *,
    consultation: Consultation,
    body: str,
    title: str = "Summary of responses",
    source: SummarySource = SummarySource.WRITTEN,
    generated_by: str = "",
    figures: dict[str, object] | None = None,
) -> ResponseSummary:
    """Write (or have the analysis write) the summary of responses. Published with the outcome.

    Once published, the summary can still be corrected; the page shows the latest text.
    """
    summary, _ = ResponseSummary.objects.get_or_create(consultation=consultation)
    summary.title = title
    summary.body = body
    summary.source = source
    if source == SummarySource.GENERATED:
        summary.generated_at = timezone.now()
        summary.generated_by = generated_by
        summary.figures = figures or {}
    summary.save()
    return summary


@transaction.atomic
def consultation_publish_outcome(
    *,
    consultation: Consultation,
    by: User,
    final_document_title: str = "",
    final_document_data: bytes | None = None,
    replaces_final: bool = False,
    now: dt.datetime | None = None,
) -> Consultation:
    """Publish the outcome: the final document and the summary of responses.

    Allowed once the analysis has started (or straight from closed). A final document may be
    uploaded here or already be attached; a summary of responses with some text must exist.
    A consultation has one current final document: uploading another is refused unless
    ``replaces_final`` says it replaces the one attached. Atomic: a refused file or a
    missing summary changes nothing.
    """
    now = now or timezone.now()
    consultation = _locked(consultation)
    _require(
        consultation,
        {ConsultationStatus.CLOSED, ConsultationStatus.ANALYSING},
        now,
        "publish the outcome",
    )
    summary = ResponseSummary.objects.filter(consultation=consultation).first()
    if summary is None or not summary.body.strip():
        raise InvalidTransition("Write the summary of responses before publishing the outcome.")
    if final_document_data is not None:
        final_document_add(
            consultation=consultation,
            title=final_document_title or f"{consultation.title}: final version",
            data=final_document_data,
            replaces_final=replaces_final,
            now=now,
        )
    if final_document_current(consultation=consultation) is None:
        raise InvalidTransition("Attach the final document before publishing the outcome.")
    if consultation.analysis_started_at is None:
        consultation.analysis_started_at = now
    consultation.outcome_published_at = now
    consultation.save(update_fields=["analysis_started_at", "outcome_published_at", "updated_at"])
    summary.published_at = summary.published_at or now
    summary.save(update_fields=["published_at", "updated_at"])
    logger.info("%s published the outcome of %s", by, consultation.slug)
    return consultation


def final_document_add(
    *,
    consultation: Consultation,
    title: str,
    data: bytes,
    replaces_final: bool = False,
    now: dt.datetime | None = None,
) -> Attachment:
    """Attach a final document. Where one is already attached, refused unless
    ``replaces_final``: the new one then replaces it, and the earlier one stays published as
    an earlier version. Atomic; the database refuses a second current final document
    whatever route adds it."""
    now = now or timezone.now()
    with transaction.atomic():
        current = final_document_current(consultation=consultation)
        if current is not None and not replaces_final:
            raise InvalidTransition(
                f"This consultation already has a final document, “{current.title}”. "
                "To publish a new version, say that it replaces the current one."
            )
        if current is not None:
            current.superseded_at = now
            current.save(update_fields=["superseded_at", "updated_at"])
        attachment = attachment_create(
            title=title, data=data, consultation=consultation, role=AttachmentRole.FINAL_DOCUMENT
        )
        if current is not None:
            attachment.replaces = current
            attachment.save(update_fields=["replaces", "updated_at"])
    return attachment


TRANSITIONS = {
    "publish": consultation_publish,
    "close-early": consultation_close_early,
    "start-analysis": consultation_start_analysis,
}
