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
    ResponseAttachment,
    TextStatus,
)
from moot.core import files
from moot.core.extraction import extract_bounded

# Files whose text costs a parser to read: these are read in the bounded child process.
PARSED_TYPES = {files.PDF, files.DOCX, files.ODT}

ATTACHMENT_TYPES = {files.PDF, files.DOCX, files.ODT, files.XLSX, files.ODS, files.TEXT}
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


def attachment_filename(*, title: str, extension: str) -> str:
    return get_valid_filename(f"{slugify(title)[:80] or 'attachment'}.{extension}")


def file_text_read(*, data: bytes, content_type: str) -> tuple[str, int | None, str]:
    """The file's text, its page count, and why the text was not extracted ("" if it was).

    Documents are parsed in a child process with CPU, memory and wall-clock bounds
    (``EXTRACTION_*`` settings), never in this one; it holds no database transaction.
    """
    if content_type not in PARSED_TYPES:
        extracted = files.extract_text(data, content_type=content_type)
        return extracted.text, extracted.page_count, ""
    outcome = extract_bounded(data, content_type=content_type)
    return outcome.text, outcome.page_count, outcome.failure


def response_attachment_text_fields(
    *, data: bytes, content_type: str, later: bool
) -> dict[str, str]:
    """The text fields of a new response file: read now (bounded), or left for the
    ``extract_response_attachment_text`` task when ``later``."""
    if later and content_type in PARSED_TYPES:
        return {"text_status": TextStatus.PENDING}
    text, _pages, failure = file_text_read(data=data, content_type=content_type)
    if failure:
        return {"text_status": TextStatus.NOT_EXTRACTED, "text_not_extracted_reason": failure}
    return {"text_status": TextStatus.EXTRACTED, "extracted_text": text}


def response_attachment_text_queue(*, attachment: ResponseAttachment) -> None:
    """Queue the extraction of a pending file's text. With the database task backend the
    task row is written in the caller's transaction, so it exists exactly when the file does."""
    from moot.consultations.tasks import extract_response_attachment_text

    if attachment.text_status == TextStatus.PENDING:
        extract_response_attachment_text.enqueue(attachment_id=attachment.pk)


def response_attachment_text_extract(*, attachment_id: int) -> TextStatus | None:
    """Extract a pending response file's text in the bounded child process and record it.

    Idempotent: a file no longer pending (or gone) is left alone. Holds no transaction
    while the child runs (on SQLite a transaction would block every other write); the
    result is written by one short conditional UPDATE.
    """
    attachment = (
        ResponseAttachment.objects.filter(pk=attachment_id, text_status=TextStatus.PENDING)
        .only("id", "file", "content_type", "text_status")
        .first()
    )
    if attachment is None:
        return None
    if not attachment.file:
        status, fields = TextStatus.EXTRACTED, {}
    else:
        with attachment.file.open("rb") as handle:
            data = handle.read()
        text, _pages, failure = file_text_read(data=data, content_type=attachment.content_type)
        if failure:
            status, fields = TextStatus.NOT_EXTRACTED, {"text_not_extracted_reason": failure}
        else:
            status, fields = TextStatus.EXTRACTED, {"extracted_text": text}
    ResponseAttachment.objects.filter(pk=attachment_id, text_status=TextStatus.PENDING).update(
        text_status=status, **fields
    )
    return status


def attachment_create(
    *,
    title: str,
    data: bytes,
    consultation: Consultation | None = None,
    document_version: DocumentVersion | None = None,
    role: AttachmentRole = AttachmentRole.DOCUMENT,
    position: int = 0,
) -> Attachment:
    """Store a file for a consultation or a document version. Atomic.

    The type comes from the file's content, its text is extracted for search (in the bounded
    child process, before the transaction starts), and a file that is not an accepted
    document (or is a zip bomb, an encrypted PDF, or one whose text cannot be read within
    the bounds) raises ``FileRejected`` before anything is stored.
    """
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise files.FileRejected(
            f"The file is larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB."
        )
    sniffed = files.sniff(data, allowed=ATTACHMENT_TYPES)
    text, page_count, failure = file_text_read(data=data, content_type=sniffed.content_type)
    if failure:
        raise files.FileRejected(failure)
    with transaction.atomic():
        return _attachment_store(
            data=data,
            sniffed=sniffed,
            title=title,
            text=text,
            page_count=page_count,
            consultation=consultation,
            document_version=document_version,
            role=role,
            position=position,
        )


def _attachment_store(
    *,
    data: bytes,
    sniffed: files.SniffedFile,
    title: str,
    text: str,
    page_count: int | None,
    consultation: Consultation | None,
    document_version: DocumentVersion | None,
    role: AttachmentRole,
    position: int,
) -> Attachment:
    attachment = Attachment(
        consultation=consultation,
        document_version=document_version,
        role=role,
        position=position,
        title=title,
        content_type=sniffed.content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=page_count,
        extracted_text=text,
    )
    attachment.file.save(
        attachment_filename(title=title, extension=sniffed.extension),
        ContentFile(data),
        save=False,
    )
    attachment.save()
    return attachment
