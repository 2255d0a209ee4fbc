"""The admin of written ministerial statements (imported records: inspected and corrected
by hand if need be; revisions are never edited)."""

from django.contrib import admin

from moot.parliament.admin import RevisionAdmin, RevisionInline
from moot.parliament.models import (
    WrittenStatement,
    WrittenStatementAttachment,
    WrittenStatementLink,
    WrittenStatementRedirect,
    WrittenStatementRevision,
)


class StatementAttachmentInline(admin.TabularInline):
    model = WrittenStatementAttachment
    extra = 0


class StatementLinkInline(admin.TabularInline):
    model = WrittenStatementLink
    extra = 0


class StatementRevisionInline(RevisionInline):
    model = WrittenStatementRevision


@admin.register(WrittenStatement)
class WrittenStatementAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "house", "uin", "department", "speaker_display_name"]
    list_filter = ["house", "department"]
    search_fields = ["title", "body_html", "uin", "identifier", "speaker_name", "source_id"]
    date_hierarchy = "date"
    autocomplete_fields = ["department", "person"]
    readonly_fields = ["content_hash", "source_version", "created_at", "updated_at"]
    inlines = [StatementAttachmentInline, StatementLinkInline, StatementRevisionInline]


@admin.register(WrittenStatementAttachment)
class WrittenStatementAttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "statement", "file_type", "file_size"]
    list_filter = ["file_type"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["statement"]


@admin.register(WrittenStatementLink)
class WrittenStatementLinkAdmin(admin.ModelAdmin):
    list_display = ["statement", "kind", "linked_source_id", "link_date"]
    list_filter = ["kind"]
    search_fields = ["statement__title", "linked_source_id"]
    autocomplete_fields = ["statement"]


@admin.register(WrittenStatementRedirect)
class WrittenStatementRedirectAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "date"]
    list_filter = ["kind"]
    search_fields = ["old_source_id", "new_source_id", "identifier"]
    date_hierarchy = "date"


@admin.register(WrittenStatementRevision)
class WrittenStatementRevisionAdmin(RevisionAdmin):
    search_fields = ["source_id", "statement__title"]
