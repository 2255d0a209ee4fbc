from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from moot.consultations.models import (
    Answer,
    Attachment,
    Consultation,
    ConsultationSection,
    Document,
    DocumentRelation,
    DocumentVersion,
    Question,
    QuestionOption,
    RespondentRole,
    Response,
    ResponseAttachment,
    ResponseSummary,
)
from moot.consultations.selectors.access import (
    consultations_visible_to,
    responses_visible_to,
    staff_can_access,
)
from moot.consultations.services import attachment_create
from moot.consultations.services.questionnaire import question_scale_options_ensure
from moot.core.errors import FileRejected


class ConsultationSectionInline(admin.StackedInline):
    model = ConsultationSection
    extra = 0
    fields = ["position", "kind", "heading", "body"]


class AttachmentUploadForm(forms.ModelForm):
    """Staff upload a file; its type, size and text are worked out from the file itself."""

    upload = forms.FileField(required=False, help_text="PDF, Word, OpenDocument or text.")

    class Meta:
        model = Attachment
        fields = ["title", "role", "position", "upload"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.instance.pk and not cleaned.get("upload"):
            raise forms.ValidationError("Choose a file to upload.")
        return cleaned


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentUploadForm
    extra = 0
    fields = ["title", "role", "position", "upload", "content_type", "size_bytes"]
    readonly_fields = ["content_type", "size_bytes"]


def _save_attachment_formset(request: HttpRequest, formset: Any, owner: dict[str, Any]) -> None:
    """Save uploads through ``attachment_create``, which checks each file's real type."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if form in formset.deleted_forms:
            if form.instance.pk:
                formset.deleted_objects.append(form.instance)
                form.instance.delete()
            continue
        if not form.has_changed():
            continue
        upload = form.cleaned_data.get("upload")
        if upload is None:
            formset.changed_objects.append((form.save(), form.changed_data))
            continue
        try:
            attachment = attachment_create(
                title=form.cleaned_data["title"],
                data=upload.read(),
                role=form.cleaned_data["role"],
                position=form.cleaned_data["position"] or 0,
                **owner,
            )
        except FileRejected as error:
            messages.error(request, f"{upload.name} was not uploaded: {error}")
            continue
        if form.instance.pk:
            form.instance.delete()
        formset.new_objects.append(attachment)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "key", "kind", "text", "required", "max_length", "section"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "section":
            consultation_id = (
                request.resolver_match.kwargs.get("object_id", 0) if request.resolver_match else 0
            )
            kwargs["queryset"] = ConsultationSection.objects.filter(consultation_id=consultation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RespondentRoleInline(admin.TabularInline):
    model = RespondentRole
    extra = 0
    fields = ["position", "label"]
    verbose_name = "role respondents can choose in “About you”"
    verbose_name_plural = "roles respondents can choose in “About you”"


class DepartmentScopedAdmin(admin.ModelAdmin):
    """Staff who are not superusers see and change only their own department's records."""

    consultation_path = "consultation"

    def _consultation(self, obj: Any) -> Consultation:
        for part in self.consultation_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or staff_can_access(user=request.user, consultation=self._consultation(obj))
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or staff_can_access(user=request.user, consultation=self._consultation(obj))
        )


@admin.register(Consultation)
class ConsultationAdmin(DepartmentScopedAdmin):
    consultation_path = ""
    list_display = ["title", "department", "opens_at", "closes_at", "status_label"]
    list_filter = ["department", "respond_online"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "closes_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ConsultationSectionInline, AttachmentInline, QuestionInline, RespondentRoleInline]

    def _consultation(self, obj: Any) -> Consultation:
        return obj

    def get_queryset(self, request: HttpRequest) -> Any:
        return consultations_visible_to(user=request.user)

    fieldsets = [
        (None, {"fields": ["title", "slug", "department", "summary"]}),
        (
            "Dates",
            {
                "fields": [
                    "opens_at",
                    "closes_at",
                    "published_at",
                    "analysis_started_at",
                    "outcome_published_at",
                ]
            },
        ),
        ("Enquiries", {"fields": ["enquiries_unit", "enquiries_telephone", "enquiries_email"]}),
        ("Retention", {"fields": ["personal_data_retention_days"]}),
        (
            "How to respond",
            {
                "fields": [
                    "respond_online",
                    "response_email",
                    "response_postal_address",
                    "external_url",
                    "alternative_formats_email",
                ]
            },
        ),
    ]

    @admin.display(description="Status")
    def status_label(self, obj: Consultation) -> str:
        return obj.status.label

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is Attachment:
            _save_attachment_formset(request, formset, {"consultation": form.instance})
        else:
            super().save_formset(request, form, formset, change)
        if formset.model is Question:
            for question in form.instance.questions.all():
                question_scale_options_ensure(question=question)


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0


class RelationInline(admin.TabularInline):
    model = DocumentRelation
    fk_name = "subject"
    extra = 0
    autocomplete_fields = ["object"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "department", "publisher", "published_on"]
    list_filter = ["kind", "department"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["consultation"]
    inlines = [DocumentVersionInline, RelationInline]


@admin.register(DocumentRelation)
class DocumentRelationAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "object"]
    list_filter = ["kind"]
    search_fields = ["subject__title", "object__title"]
    autocomplete_fields = ["subject", "object"]


@admin.register(ConsultationSection)
class ConsultationSectionAdmin(admin.ModelAdmin):
    list_display = ["heading", "consultation", "position", "kind"]
    list_filter = ["kind"]
    search_fields = ["heading", "body", "consultation__title"]
    autocomplete_fields = ["consultation"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    list_display = ["document", "number", "published_on"]
    search_fields = ["document__title"]
    inlines = [AttachmentInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is Attachment:
            _save_attachment_formset(request, formset, {"document_version": form.instance})
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "role", "content_type", "size_bytes", "consultation"]
    list_filter = ["role", "content_type"]
    search_fields = ["title", "extracted_text"]
    readonly_fields = ["content_type", "size_bytes", "sha256", "page_count", "extracted_text"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Files are added from their consultation or document version, which check them.
        return False


class QuestionOptionInline(admin.TabularInline):
    model = QuestionOption
    extra = 0
    fields = ["position", "label"]


@admin.register(Question)
class QuestionAdmin(DepartmentScopedAdmin):
    list_display = ["text", "consultation", "position", "key", "kind", "required"]
    list_filter = ["kind"]
    search_fields = ["text", "key", "consultation__title"]
    inlines = [QuestionOptionInline]
    fields = [
        "consultation",
        "position",
        "key",
        "kind",
        "text",
        "hint",
        "required",
        "max_length",
        "section",
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .filter(consultation__in=consultations_visible_to(user=request.user))
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "consultation":
            kwargs["queryset"] = consultations_visible_to(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        question_scale_options_ensure(question=form.instance)


@admin.register(Response)
class ResponseAdmin(DepartmentScopedAdmin):
    """Responses are read and managed on the staff pages; the admin is for corrections."""

    list_display = ["__str__", "consultation", "channel", "status", "received_at"]
    list_filter = ["channel", "status"]
    search_fields = ["reference", "organisation_name", "respondent_email"]
    readonly_fields = [
        "consultation",
        "reference",
        "channel",
        "received_at",
        "source_key",
        "submission_token",
        "resume_nonce",
        "client_hash",
        "entered_by",
        "late_accepted_by",
        "personal_data_purged_at",
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return responses_visible_to(user=request.user).select_related("consultation")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ResponseSummary)
class ResponseSummaryAdmin(DepartmentScopedAdmin):
    list_display = ["consultation", "source", "published_at"]
    readonly_fields = ["generated_at", "generated_by", "published_at"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .filter(consultation__in=consultations_visible_to(user=request.user))
        )


@admin.register(QuestionOption)
class QuestionOptionAdmin(DepartmentScopedAdmin):
    consultation_path = "question__consultation"
    list_display = ["label", "question", "position"]
    search_fields = ["label", "question__text"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .filter(question__consultation__in=consultations_visible_to(user=request.user))
        )


@admin.register(RespondentRole)
class RespondentRoleAdmin(DepartmentScopedAdmin):
    list_display = ["label", "consultation", "position"]
    search_fields = ["label", "consultation__title"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .filter(consultation__in=consultations_visible_to(user=request.user))
        )


@admin.register(Answer)
class AnswerAdmin(DepartmentScopedAdmin):
    consultation_path = "response__consultation"
    list_display = ["response", "question"]
    search_fields = ["text", "response__reference"]
    readonly_fields = ["response", "question"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .filter(response__in=responses_visible_to(user=request.user))
            .select_related("response", "question")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ResponseAttachment)
class ResponseAttachmentAdmin(DepartmentScopedAdmin):
    consultation_path = "response__consultation"
    list_display = ["filename", "response", "kind", "content_type", "size_bytes"]
    list_filter = ["kind"]
    search_fields = ["filename", "extracted_text"]
    readonly_fields = [
        "response",
        "kind",
        "filename",
        "file",
        "content_type",
        "size_bytes",
        "sha256",
        "extracted_text",
        "rejected_reason",
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .filter(response__in=responses_visible_to(user=request.user))
            .select_related("response")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
