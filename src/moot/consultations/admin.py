from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.urls import path, reverse
from django.utils.html import format_html

from moot.consultations.admin_scoping import (
    DepartmentScopedAdmin,
    PersonalDataAdmin,
    ScopedInline,
)
from moot.consultations.downloads import response_file_download
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
from moot.consultations.services import attachment_create
from moot.consultations.services import responses as response_services
from moot.consultations.services.questionnaire import question_scale_options_ensure
from moot.core.errors import FileRejected, MootError
from moot.core.models import AuditAction, User
from moot.core.permissions import Capability


class ConsultationSectionInline(ScopedInline, admin.StackedInline):
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


class AttachmentInline(ScopedInline, admin.TabularInline):
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


class QuestionInline(ScopedInline, admin.TabularInline):
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


class RespondentRoleInline(ScopedInline, admin.TabularInline):
    model = RespondentRole
    extra = 0
    fields = ["position", "label"]
    verbose_name = "role respondents can choose in “About you”"
    verbose_name_plural = "roles respondents can choose in “About you”"


@admin.register(Consultation)
class ConsultationAdmin(DepartmentScopedAdmin):
    department_paths = ("department",)
    consultation_path = ""
    list_display = ["title", "department", "opens_at", "closes_at", "status_label"]
    list_filter = ["department", "respond_online"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "closes_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ConsultationSectionInline, AttachmentInline, QuestionInline, RespondentRoleInline]

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
                    "acknowledge_emailed_responses",
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


class DocumentVersionInline(ScopedInline, admin.TabularInline):
    model = DocumentVersion
    extra = 0


class RelationInline(ScopedInline, admin.TabularInline):
    model = DocumentRelation
    fk_name = "subject"
    extra = 0
    autocomplete_fields = ["object"]


@admin.register(Document)
class DocumentAdmin(DepartmentScopedAdmin):
    # A document of no department (published elsewhere) is for administrators to manage.
    department_paths = ("department",)
    list_display = ["title", "kind", "department", "publisher", "published_on"]
    list_filter = ["kind", "department"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["consultation"]
    inlines = [DocumentVersionInline, RelationInline]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if not request.user.is_superuser and "department" in form.base_fields:
            # Staff would lose sight of a document they left without their department.
            form.base_fields["department"].required = True
        return form


@admin.register(DocumentRelation)
class DocumentRelationAdmin(DepartmentScopedAdmin):
    department_paths = ("subject__department",)
    consultation_path = "subject__consultation"
    list_display = ["subject", "kind", "object"]
    list_filter = ["kind"]
    search_fields = ["subject__title", "object__title"]
    autocomplete_fields = ["subject", "object"]


@admin.register(ConsultationSection)
class ConsultationSectionAdmin(DepartmentScopedAdmin):
    list_display = ["heading", "consultation", "position", "kind"]
    list_filter = ["kind"]
    search_fields = ["heading", "body", "consultation__title"]
    autocomplete_fields = ["consultation"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(DepartmentScopedAdmin):
    department_paths = ("document__department",)
    consultation_path = "document__consultation"
    list_display = ["document", "number", "published_on"]
    search_fields = ["document__title"]
    inlines = [AttachmentInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is Attachment:
            _save_attachment_formset(request, formset, {"document_version": form.instance})
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Attachment)
class AttachmentAdmin(DepartmentScopedAdmin):
    # A consultation's file, or a document version's.
    department_paths = ("consultation__department", "document_version__document__department")
    list_display = ["title", "role", "content_type", "size_bytes", "consultation"]
    list_filter = ["role", "content_type"]
    search_fields = ["title", "extracted_text"]
    readonly_fields = ["content_type", "size_bytes", "sha256", "page_count", "extracted_text"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Files are added from their consultation or document version, which check them.
        return False


class QuestionOptionInline(ScopedInline, admin.TabularInline):
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

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        question_scale_options_ensure(question=form.instance)


def _staff_user(request: HttpRequest) -> User:
    # Admin views are only reached by signed-in staff.
    return request.user  # type: ignore[return-value]


@admin.register(Response)
class ResponseAdmin(PersonalDataAdmin):
    """Responses are read-only here: they are coded, accepted late and withdrawn through the
    services' rules, on the staff pages or with this admin's actions."""

    consultation_path = "consultation"
    list_display = ["__str__", "consultation", "channel", "status", "received_at"]
    list_filter = ["channel", "status"]
    list_select_related = ["consultation"]
    search_fields = ["reference", "organisation_name", "respondent_email"]
    # Secrets of the respondent's draft and their address hash are never shown.
    exclude = ["submission_token", "resume_nonce", "client_hash"]
    readonly_fields = ["staff_page"]
    actions = ["accept_late", "withdraw"]

    @admin.display(description="Staff page")
    def staff_page(self, obj: Response) -> str:
        return format_html(
            '<a href="{}">Open the response on the staff pages</a> (to record its details '
            "and answers)",
            obj.get_absolute_url(),
        )

    def _apply(
        self, request: HttpRequest, queryset: QuerySet[Response], service: Any, name: str
    ) -> None:
        changed = []
        for response in queryset.select_related("consultation"):
            try:
                service(response=response, by=_staff_user(request))
            except MootError as error:
                self.message_user(request, f"{response}: {error}", messages.ERROR)
            else:
                changed.append(response)
        if changed:
            self.audit(
                request, action=AuditAction.EDIT_RESPONSE, records=changed, detail={"change": name}
            )
            self.message_user(request, f"{len(changed)} response(s) updated.", messages.SUCCESS)

    @admin.action(description="Accept as late (count in the analysis)", permissions=["view"])
    def accept_late(self, request: HttpRequest, queryset: QuerySet[Response]) -> None:
        self._apply(request, queryset, response_services.response_accept_late, "accept-late")

    @admin.action(description="Withdraw at the respondent's request", permissions=["view"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Response]) -> None:
        self._apply(request, queryset, response_services.response_withdraw, "withdraw")


@admin.register(ResponseSummary)
class ResponseSummaryAdmin(DepartmentScopedAdmin):
    capability = Capability.ANALYSIS
    list_display = ["consultation", "source", "published_at"]
    readonly_fields = ["generated_at", "generated_by", "published_at"]


@admin.register(QuestionOption)
class QuestionOptionAdmin(DepartmentScopedAdmin):
    department_paths = ("question__consultation__department",)
    consultation_path = "question__consultation"
    list_display = ["label", "question", "position"]
    search_fields = ["label", "question__text"]


@admin.register(RespondentRole)
class RespondentRoleAdmin(DepartmentScopedAdmin):
    list_display = ["label", "consultation", "position"]
    search_fields = ["label", "consultation__title"]


@admin.register(Answer)
class AnswerAdmin(PersonalDataAdmin):
    department_paths = ("response__consultation__department",)
    consultation_path = "response__consultation"
    response_id_path = "response_id"
    list_display = ["response", "question"]
    list_select_related = ["response__consultation", "question"]
    search_fields = ["text", "response__reference"]


@admin.register(ResponseAttachment)
class ResponseAttachmentAdmin(PersonalDataAdmin):
    """A response's files are never linked from storage: the download here is audited."""

    department_paths = ("response__consultation__department",)
    consultation_path = "response__consultation"
    response_id_path = "response_id"
    list_display = ["filename", "response", "kind", "content_type", "size_bytes"]
    list_filter = ["kind"]
    list_select_related = ["response__consultation"]
    search_fields = ["filename", "extracted_text"]
    fields = [
        "response",
        "kind",
        "filename",
        "download",
        "content_type",
        "size_bytes",
        "sha256",
        "extracted_text",
        "rejected_reason",
    ]
    readonly_fields = ["download"]

    @admin.display(description="File")
    def download(self, obj: ResponseAttachment) -> str:
        if not obj.file:
            return "—"
        info = (self.opts.app_label, self.opts.model_name)
        url = reverse("admin:{}_{}_download".format(*info), args=[obj.pk])
        return format_html('<a href="{}">Download {}</a>', url, obj.filename)

    def get_urls(self) -> list[Any]:
        info = (self.opts.app_label, self.opts.model_name)
        download = path(
            "<path:object_id>/download/",
            self.admin_site.admin_view(self.download_view),
            name="{}_{}_download".format(*info),
        )
        return [download, *super().get_urls()]

    def download_view(self, request: HttpRequest, object_id: str) -> FileResponse:
        attachment = self.get_object(request, object_id)
        if attachment is None or not attachment.file:
            raise Http404("No such file")
        if not self.has_view_permission(request, attachment):
            raise PermissionDenied("Your account cannot see this response's files.")
        self.audit(
            request,
            action=AuditAction.DOWNLOAD_RESPONSE_FILE,
            records=[attachment],
            detail={"file": attachment.filename},
        )
        return response_file_download(attachment)


from moot.consultations import admin_moderation as admin_moderation  # noqa: E402 - registers its admin
