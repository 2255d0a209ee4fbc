"""The admin's scoping of department-owned data, through ``selectors.access``.

Every admin of a model owned by a department (a consultation and all it holds, documents,
responses, analysis rows) derives from ``DepartmentScopedAdmin``: it lists, shows, changes
and deletes only records of a department for which the user has the admin's capability,
answers 403 (audited) for another department's record instead of pretending it is not
there, and offers in every form and autocomplete only the user's own department and its
records. ``PersonalDataAdmin`` adds the audit log: every list (with its search), every
record shown and every file downloaded is recorded, as on the staff pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from moot.consultations.models import Consultation
from moot.consultations.selectors.access import record_visible_to, records_visible_to
from moot.core.admin_mixins import ReadOnlyAdminMixin
from moot.core.audit import audit_record
from moot.core.models import AuditAction, Department
from moot.core.permissions import AccessRefused, Capability, user_can


def _follow(record: Any, path: str) -> Any:
    for step in path.split("__") if path else ():
        record = getattr(record, step, None)
        if record is None:
            return None
    return record


def scoped_choices(
    *, admin_site: admin.AdminSite, model: type[Model], request: HttpRequest, capability: Capability
) -> QuerySet[Any] | None:
    """What a form of the admin may offer for a relation to ``model``: the user's own
    department, or the records of it; ``None`` for models no department owns."""
    user = request.user
    if model is Department:
        departments = Department.objects.all()
        if user.is_superuser:
            return departments
        department_id = getattr(user, "department_id", None)
        if department_id is None or not user_can(
            user=user, capability=capability, department_id=department_id
        ):
            return departments.none()
        return departments.filter(pk=department_id)
    model_admin = admin_site._registry.get(model)
    if isinstance(model_admin, DepartmentScopedAdmin):
        return records_visible_to(
            user=user,
            queryset=model._default_manager.all(),
            department_paths=model_admin.department_paths,
            capability=capability,
        )
    return None


class ScopedChoicesMixin:
    """Limits every foreign key and many-to-many choice to what the user may see; the form
    then refuses anything else that is posted."""

    capability: Capability = Capability.CONTENT
    admin_site: admin.AdminSite

    def _scoped(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        if "queryset" in kwargs:
            return
        choices = scoped_choices(
            admin_site=self.admin_site,
            model=db_field.related_model,
            request=request,
            capability=self.capability,
        )
        if choices is not None:
            kwargs["queryset"] = choices

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scoped(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scoped(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class ScopedInline(ScopedChoicesMixin):
    """Mixed into inlines: their parent is scoped by its admin, their choices here."""


class DepartmentScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """An admin of department-owned records, for staff whose role gives ``capability``."""

    # Lookups from the model to the department owning a record; any one of them suffices.
    department_paths: Sequence[str] = ("consultation__department",)
    # The attribute path from a record to its consultation ("" for a consultation).
    consultation_path = "consultation"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return records_visible_to(
            user=request.user,
            queryset=super().get_queryset(request),
            department_paths=self.department_paths,
            capability=self.capability,
        )

    def _may(self, request: HttpRequest, obj: Any) -> bool:
        user = request.user
        if obj is None:
            department_id = getattr(user, "department_id", None)
            return user_can(user=user, capability=self.capability, department_id=department_id)
        return record_visible_to(
            user=user,
            record=obj,
            department_paths=self.department_paths,
            capability=self.capability,
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._may(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._may(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may(request, obj)

    def record_consultation(self, record: Any) -> Consultation | None:
        found = _follow(record, self.consultation_path)
        return found if isinstance(found, Consultation) else None

    def audited_ids(self, record: Any) -> list[int]:
        """The ids the audit log records for ``record`` (a response's, for personal data)."""
        return [record.pk]

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        found = super().get_object(request, object_id, from_field)
        if found is not None:
            return found
        field = (
            self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        )
        try:
            elsewhere = self.model._default_manager.filter(
                **{field.name: field.to_python(object_id)}
            ).first()
        except (ValidationError, ValueError):
            return None
        if elsewhere is None:
            return None
        consultation = self.record_consultation(elsewhere)
        raise AccessRefused(
            f"This {self.model._meta.verbose_name} belongs to another department.",
            capability=self.capability,
            consultation_slug=consultation.slug if consultation else "",
            record_ids=self.audited_ids(elsewhere),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The form offers only the user's own department and records; this is the last word.
        if not self._may(request, obj):
            raise AccessRefused(
                f"This {self.model._meta.verbose_name} would belong to another department.",
                capability=self.capability,
            )
        super().save_model(request, obj, form, change)


class PersonalDataAdmin(ReadOnlyAdminMixin, DepartmentScopedAdmin):
    """Read-only admin of personal data: lists, records shown and searches are audited.

    Changes go through the services (admin actions, or the staff pages), never the form.
    """

    capability = Capability.RESPONSES
    # The attribute path from a record to its response's id.
    response_id_path = "pk"

    def audited_ids(self, record: Any) -> list[int]:
        return [int(_follow(record, self.response_id_path))]

    def audit(
        self,
        request: HttpRequest,
        *,
        action: AuditAction,
        records: list[Any],
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Record ``action`` on ``records`` in the audit log, as the staff pages do."""
        slugs = {c.slug for r in records if (c := self.record_consultation(r)) is not None}
        audit_record(
            request=request,
            action=action,
            consultation_slug=slugs.pop() if len(slugs) == 1 else "",
            record_ids=[pk for record in records for pk in self.audited_ids(record)],
            detail={
                "route": "admin",
                "model": self.model._meta.label_lower,
                "objects": sorted(record.pk for record in records),
                **(detail or {}),
            },
        )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        result = super().changelist_view(request, extra_context)
        changelist = (getattr(result, "context_data", None) or {}).get("cl")
        if changelist is not None:
            self.audit(
                request,
                action=AuditAction.VIEW_RESPONSES,
                records=list(changelist.result_list),
                detail={"search": changelist.query, "query": request.GET.urlencode()},
            )
        return result

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        result = super().change_view(request, object_id, form_url, extra_context)
        record = (getattr(result, "context_data", None) or {}).get("original")
        if record is not None and result.status_code == 200:
            self.audit(request, action=AuditAction.VIEW_RESPONSE, records=[record])
        return result
