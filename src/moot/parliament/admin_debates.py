"""Admin pages for debates and members' photos: records moot imports, shown to
administrators to inspect and correct; the import fields say where each came from and are
not edited by hand (the next import would set them again)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from moot.parliament.models import DebateRedirect, DebateSection, MemberPhoto, Speech

IMPORT_FIELDS = ["source_id", "source_version", "content_hash", "created_at", "updated_at"]
SPEECH_SUMMARY = ("position", "anchor", "speaker", "speaker_name", "column", "time")


class SpeechInline(admin.TabularInline):
    model = Speech
    fields = SPEECH_SUMMARY
    readonly_fields = SPEECH_SUMMARY
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DebateSection)
class DebateSectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "location", "department"]
    list_filter = ["location", "department"]
    search_fields = ["heading", "major_heading", "source_id"]
    date_hierarchy = "date"
    autocomplete_fields = ["department"]
    readonly_fields = IMPORT_FIELDS
    inlines = [SpeechInline]


@admin.register(Speech)
class SpeechAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section", "speaker_name", "column"]
    search_fields = ["body_html", "speaker_name", "section__heading", "source_id"]
    list_select_related = ["section"]
    autocomplete_fields = ["section", "speaker"]
    readonly_fields = IMPORT_FIELDS


@admin.register(DebateRedirect)
class DebateRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_source_id", "new_source_id", "match_type", "date"]
    search_fields = ["old_source_id", "new_source_id"]
    date_hierarchy = "date"


@admin.register(MemberPhoto)
class MemberPhotoAdmin(admin.ModelAdmin):
    """Photos come only through `moot import-member-photos`, which checks and redraws each
    image; here the credit and licence shown under a photo can be corrected, or a photo
    removed."""

    list_display = ["person", "credit", "licence", "updated_at"]
    search_fields = ["person__name", "credit", "source_name"]
    readonly_fields = ["person", "photo", "thumbnail", "source_name", "source_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
