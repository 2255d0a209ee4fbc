"""What has happened to a consultation, as a list of dated updates (for its feed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from moot.consultations.models import Consultation

# Saves this close to a dated event are part of that event, not a separate change.
SAME_MOMENT = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class ConsultationUpdate:
    key: str  # unique and stable within the consultation
    title: str
    description: str
    url: str
    at: dt.datetime
    consultation_url: str = ""

    @property
    def guid(self) -> str:
        return f"{self.consultation_url}#update-{self.key}"


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def consultation_updates(
    *, consultation: Consultation, now: dt.datetime | None = None
) -> list[ConsultationUpdate]:
    """Everything that has happened to a published consultation up to ``now``, newest
    first: publication, opening, closing, analysis, outcome, documents and attachments
    added, documents revised, and later edits to its sections and details.

    Expects ``consultation`` with ``sections``, ``attachments`` and ``documents`` (with
    their ``versions``) prefetched.
    """
    now = now or timezone.now()
    page = consultation.get_absolute_url()
    published = consultation.published_at
    if published is None:
        return []
    updates = [
        ConsultationUpdate(
            "published", "Consultation published", consultation.summary, page, published
        ),
        ConsultationUpdate(
            "opened", "Consultation opened for responses", "", page, consultation.opens_at
        ),
        ConsultationUpdate("closed", "Consultation closed", "", page, consultation.closes_at),
    ]
    if consultation.analysis_started_at:
        updates.append(
            ConsultationUpdate(
                "analysing",
                "Responses are being analysed",
                "",
                page,
                consultation.analysis_started_at,
            )
        )
    if consultation.outcome_published_at:
        updates.append(
            ConsultationUpdate(
                "outcome", "Outcome published", "", page, consultation.outcome_published_at
            )
        )
    # Rows saved with the consultation, or before it was published, are part of what was
    # published, not updates to it (this matters for records imported long afterwards).
    original = max(published, consultation.created_at + SAME_MOMENT)
    for attachment in consultation.attachments.all():
        if attachment.created_at <= original:
            continue
        updates.append(
            ConsultationUpdate(
                f"attachment-{attachment.pk}",
                f"Added: {attachment.title}",
                attachment.get_role_display(),
                reverse(
                    "consultations:attachment",
                    kwargs={"slug": consultation.slug, "attachment_id": attachment.pk},
                ),
                attachment.created_at,
            )
        )
    for document in consultation.documents.all():
        url = document.get_absolute_url()
        first = document.published_on
        updates.append(
            ConsultationUpdate(
                f"document-{document.pk}",
                f"Published: {document.title}",
                document.summary,
                url,
                _midnight(first) if first else document.created_at,
            )
        )
        for version in document.versions.all():
            if version.number > 1:
                updates.append(
                    ConsultationUpdate(
                        f"document-{document.pk}-version-{version.number}",
                        f"Updated: {document.title} (version {version.number})",
                        version.change_note,
                        url,
                        _midnight(version.published_on),
                    )
                )
    dated = [update.at for update in updates]
    for section in consultation.sections.all():
        if section.updated_at > max(original, section.created_at + SAME_MOMENT):
            updates.append(
                ConsultationUpdate(
                    f"section-{section.pk}-{section.updated_at.timestamp():.0f}",
                    f"Section updated: {section.heading}",
                    "",
                    f"{page}#section-{section.position}",
                    section.updated_at,
                )
            )
    edited = consultation.updated_at
    if edited > original and all(abs(edited - at) > SAME_MOMENT for at in dated):
        updates.append(
            ConsultationUpdate(
                f"details-{edited.timestamp():.0f}",
                "Consultation details updated",
                "",
                page,
                edited,
            )
        )
    return sorted(
        (
            dataclasses.replace(update, consultation_url=page)
            for update in updates
            if update.at <= now
        ),
        key=lambda update: (update.at, update.key),
        reverse=True,
    )
