"""Writes for the consultations app, one module per area."""

from moot.consultations.services.attachments import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    attachment_create,
    attachment_filename,
)

__all__ = ["ATTACHMENT_TYPES", "MAX_ATTACHMENT_BYTES", "attachment_create", "attachment_filename"]
