from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from moot.parliament.models import (
    AnswerVote,
    Constituency,
    ImportedFile,
    Membership,
    Party,
    Person,
    Post,
    Postcode,
    WrittenAnswer,
    WrittenAnswerAttachment,
    WrittenAnswerRevision,
    WrittenQuestion,
    WrittenQuestionRedirect,
    WrittenQuestionRevision,
)


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["name", "ons_code", "start_date", "end_date"]
    search_fields = ["name", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["party", "constituency"]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    """Read only: the directory comes from ``moot import-postcodes``."""

    list_display = ["postcode", "constituency_code"]
    search_fields = ["postcode", "constituency_code"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parlparse_id", "parliament_member_id"]
    search_fields = ["name", "given_name", "family_name", "parlparse_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, PostInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "house", "party", "constituency", "start_date", "end_date"]
    list_filter = ["house", "party"]
    search_fields = ["person__name", "constituency__name", "parlparse_id"]
    autocomplete_fields = ["person", "party", "constituency"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "department", "organisation_name", "start_date", "end_date"]
    list_filter = ["department"]
    search_fields = [
        "person__name",
        "role",
        "responsibilities",
        "organisation_name",
        "parlparse_id",
    ]
    autocomplete_fields = ["person", "department"]
    date_hierarchy = "start_date"


class AnswerInline(admin.StackedInline):
    model = WrittenAnswer.questions.through
    extra = 0
    verbose_name = "answer"
    verbose_name_plural = "answers"
    autocomplete_fields = ["writtenanswer"]


class RevisionInline(admin.TabularInline):
    """Earlier versions of an imported record, read-only."""

    extra = 0
    can_delete = False
    fields = ["replaced_at", "source_id", "source_version", "content"]
    readonly_fields = ["replaced_at", "source_id", "source_version", "content"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class QuestionRevisionInline(RevisionInline):
    model = WrittenQuestionRevision


@admin.register(WrittenQuestion)
class WrittenQuestionAdmin(admin.ModelAdmin):
    list_display = ["heading", "date", "house", "uin", "department", "asker_display_name"]
    list_filter = ["house", "is_withdrawn", "department"]
    search_fields = [
        "heading",
        "text",
        "uin",
        "other_uins",
        "identifier",
        "asking_name",
        "source_id",
    ]
    date_hierarchy = "date"
    autocomplete_fields = ["department", "asking_person"]
    readonly_fields = ["content_hash", "source_version", "created_at", "updated_at"]
    inlines = [AnswerInline, QuestionRevisionInline]


class AttachmentInline(admin.TabularInline):
    model = WrittenAnswerAttachment
    extra = 0


class AnswerRevisionInline(RevisionInline):
    model = WrittenAnswerRevision


@admin.register(WrittenAnswer)
class WrittenAnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date_answered", "department", "is_holding", "is_correction"]
    list_filter = ["is_holding", "department"]
    search_fields = ["body_html", "answering_name", "questions__heading", "source_id"]
    date_hierarchy = "date_answered"
    autocomplete_fields = ["answering_person", "department", "questions", "corrects"]
    readonly_fields = ["content_hash", "source_version", "created_at", "updated_at"]
    inlines = [AttachmentInline, AnswerRevisionInline]


@admin.register(WrittenQuestionRedirect)
class WrittenQuestionRedirectAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "date"]
    list_filter = ["kind"]
    search_fields = ["old_source_id", "new_source_id", "identifier"]
    date_hierarchy = "date"
    autocomplete_fields = ["question"]


@admin.register(AnswerVote)
class AnswerVoteAdmin(admin.ModelAdmin):
    """Votes can be inspected and removed (abuse), not made: the public makes them."""

    list_display = ["answer", "answers_question", "created_at", "updated_at"]
    list_filter = ["answers_question", "answer__department"]
    search_fields = ["answer__questions__heading"]
    date_hierarchy = "created_at"
    readonly_fields = ["answer", "voter_key", "ip_hash", "issued_voter_key", "answers_question"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ImportedFile)
class ImportedFileAdmin(admin.ModelAdmin):
    """Import progress. Deleting a row makes the next import read that file again."""

    list_display = ["path", "importer", "status", "records_done", "finished_at"]
    list_filter = ["importer", "status"]
    search_fields = ["path", "content_hash", "error"]
    date_hierarchy = "updated_at"
    readonly_fields = [
        "importer",
        "content_hash",
        "path",
        "size",
        "status",
        "records_done",
        "counts",
        "error",
        "finished_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(WrittenAnswerAttachment)
class WrittenAnswerAttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "answer", "file_type", "file_size"]
    list_filter = ["file_type"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["answer"]


class RevisionAdmin(admin.ModelAdmin):
    """Earlier versions of imported records: kept as they were, never edited."""

    list_display = ["__str__", "source_version", "replaced_at"]
    search_fields = ["source_id"]
    date_hierarchy = "replaced_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WrittenQuestionRevision)
class WrittenQuestionRevisionAdmin(RevisionAdmin):
    search_fields = ["source_id", "question__heading"]


@admin.register(WrittenAnswerRevision)
class WrittenAnswerRevisionAdmin(RevisionAdmin):
    search_fields = ["source_id", "answer__questions__heading"]


# Registered in their own modules (statements' needs the revision classes above).
from moot.parliament import admin_debates, admin_statements  # noqa: E402, F401
