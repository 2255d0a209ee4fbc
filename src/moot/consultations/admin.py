from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from moot.consultations.models import (
    Attachment,
    Consultation,
    ConsultationSection,
    Document,
    DocumentRelation,
    DocumentVersion,
)
from moot.consultations.services import attachment_create
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


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "opens_at", "closes_at", "status_label"]
    list_filter = ["department", "respond_online"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "closes_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ConsultationSectionInline, AttachmentInline]
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
