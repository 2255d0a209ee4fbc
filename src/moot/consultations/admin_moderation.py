"""The admin's read-only view of published responses, scoped to the user's department.

Decisions, redactions and publication go through ``services.moderation`` on the staff pages
(audited there); the admin only shows what was published and by whom.
"""

from __future__ import annotations

from django.contrib import admin

from moot.consultations.admin_scoping import PersonalDataAdmin
from moot.consultations.models import (
    PublishedText,
    Redaction,
    ResponsePublication,
    TextModeration,
)


@admin.register(ResponsePublication)
class ResponsePublicationAdmin(PersonalDataAdmin):
    department_paths = ("response__consultation__department",)
    consultation_path = "response__consultation"
    list_display = ["response", "published_as", "published_at", "withdrawn_at"]
    list_select_related = ["response__consultation"]
    search_fields = ["response__reference"]


@admin.register(TextModeration)
class TextModerationAdmin(PersonalDataAdmin):
    department_paths = ("response__consultation__department",)
    consultation_path = "response__consultation"
    list_display = ["response", "answer", "decision", "decided_at"]
    list_select_related = ["response__consultation", "answer__question"]


@admin.register(Redaction)
class RedactionAdmin(PersonalDataAdmin):
    department_paths = ("moderation__response__consultation__department",)
    consultation_path = "moderation__response__consultation"
    list_display = ["moderation", "reason", "start", "end"]
    list_select_related = ["moderation__response__consultation"]


@admin.register(PublishedText)
class PublishedTextAdmin(PersonalDataAdmin):
    department_paths = ("publication__response__consultation__department",)
    consultation_path = "publication__response__consultation"
    list_display = ["publication", "question"]
    list_select_related = ["publication__response__consultation", "question"]
