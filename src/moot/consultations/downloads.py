"""Serving a respondent's file to staff: the one way it leaves storage, for the staff pages
and the admin alike."""

from __future__ import annotations

from django.http import FileResponse

from moot.consultations.models import ResponseAttachment


def response_file_download(attachment: ResponseAttachment) -> FileResponse:
    """The file as a download that browsers never render or cache: it came from the public."""
    download = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type or "application/octet-stream",
    )
    download["X-Content-Type-Options"] = "nosniff"
    download["Cache-Control"] = "no-store"
    return download
