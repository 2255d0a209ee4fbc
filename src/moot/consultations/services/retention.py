"""Retention: respondents' personal data is removed once a consultation's retention period
is over, leaving their answers for the published analysis; drafts go when it closes."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from moot.consultations.models import (
    Consultation,
    Response,
    ResponseAttachment,
    ResponseAttachmentKind,
    ResponseStatus,
)

logger = logging.getLogger(__name__)

# Staff invitations to respond late stay usable this long after they are made.
LATE_INVITATION_DAYS = 30


@dataclass
class PurgeReport:
    drafts_deleted: int = 0
    consultations_purged: int = 0
    responses_purged: int = 0
    files_deleted: int = 0


def _drafts_delete(*, now: dt.datetime) -> int:
    expired = Response.objects.filter(status=ResponseStatus.DRAFT).filter(
        allows_late_submission=False, consultation__closes_at__lte=now
    ) | Response.objects.filter(
        status=ResponseStatus.DRAFT,
        allows_late_submission=True,
        created_at__lte=now - dt.timedelta(days=LATE_INVITATION_DAYS),
    )
    count = 0
    for response in expired.prefetch_related("attachments"):
        for attachment in response.attachments.all():
            if attachment.file:
                attachment.file.delete(save=False)
        response.delete()
        count += 1
    return count


@transaction.atomic
def consultation_purge_personal_data(
    *, consultation: Consultation, now: dt.datetime | None = None
) -> tuple[int, int]:
    """Remove names, email addresses, address hashes and confidentiality reasons from a
    consultation's responses, and delete scans and original messages (they show names and
    addresses). Answers, organisation names, roles and regions stay. Idempotent.
    """
    now = now or timezone.now()
    responses = Response.objects.filter(
        consultation=consultation, personal_data_purged_at__isnull=True
    ).exclude(status=ResponseStatus.DRAFT)
    files = ResponseAttachment.objects.filter(
        response__consultation=consultation,
        kind__in=[ResponseAttachmentKind.SCAN, ResponseAttachmentKind.ORIGINAL],
    ).exclude(file="")
    paths = [attachment.file for attachment in files]
    file_count = files.update(file="")
    purged = responses.update(
        respondent_name="",
        respondent_email="",
        client_hash="",
        confidentiality_reason="",
        personal_data_purged_at=now,
        updated_at=now,
    )
    Consultation.objects.filter(pk=consultation.pk, personal_data_purged_at__isnull=True).update(
        personal_data_purged_at=now
    )

    # Files go only once the rows no longer point at them.
    def delete_files() -> None:
        for path in paths:
            path.delete(save=False)

    transaction.on_commit(delete_files)
    return purged, file_count


def responses_purge_personal_data(*, now: dt.datetime | None = None) -> PurgeReport:
    """Delete expired drafts and purge every consultation past its retention period."""
    now = now or timezone.now()
    report = PurgeReport(drafts_deleted=_drafts_delete(now=now))
    due = [
        consultation
        for consultation in Consultation.objects.filter(closes_at__lte=now)
        if consultation.personal_data_expires_at <= now
    ]
    for consultation in due:
        purged, files = consultation_purge_personal_data(consultation=consultation, now=now)
        if not (purged or files):
            continue
        report.consultations_purged += 1
        report.responses_purged += purged
        report.files_deleted += files
        logger.info("purged personal data of %s responses to %s", purged, consultation.slug)
    return report
