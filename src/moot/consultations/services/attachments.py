"""Writes to consultations and documents."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import get_valid_filename, slugify

from moot.consultations.models import (
    Attachment,
    AttachmentRole,
    Consultation,
    DocumentVersion,
)
from moot.core import files

ATTACHMENT_TYPES = {files.PDF, files.DOCX, files.ODT, files.XLSX, files.ODS, files.TEXT}
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


def attachment_filename(*, title: str, extension: str) -> str:
    return get_valid_filename(f"{slugify(title)[:80] or 'attachment'}.{extension}")


@transaction.atomic
def attachment_create(
    *,
    title: str,
    data: bytes,
    consultation: Consultation | None = None,
    document_version: DocumentVersion | None = None,
    role: AttachmentRole = AttachmentRole.DOCUMENT,
    position: int = 0,
) -> Attachment:
    """Store a file for a consultation or a document version.

    The type comes from the file's content, its text is extracted for search, and a file that
    is not an accepted document (or is a zip bomb, or an encrypted PDF) raises
    ``FileRejected`` before anything is stored.
    """
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise files.FileRejected(
            f"The file is larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB."
        )
    sniffed = files.sniff(data, allowed=ATTACHMENT_TYPES)
    extracted = files.extract_text(data, content_type=sniffed.content_type)
    attachment = Attachment(
        consultation=consultation,
        document_version=document_version,
        role=role,
        position=position,
        title=title,
        content_type=sniffed.content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=extracted.page_count,
        extracted_text=extracted.text,
    )
    attachment.file.save(
        attachment_filename(title=title, extension=sniffed.extension),
        ContentFile(data),
        save=False,
    )
    attachment.save()
    return attachment
