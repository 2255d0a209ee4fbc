from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from moot.core import two_factor
from moot.core.audit import audit_record
from moot.core.models import (
    AuditAction,
    AuditEvent,
    Department,
    TwoFactorDevice,
    User,
    WorkerHeartbeat,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug", "foi_email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.action(description="Reset the second factor (they set up their app again)")
def reset_two_factor(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    for user in queryset:
        two_factor.device_reset(user=user)
        audit_record(
            request=request, action=AuditAction.RESET_TWO_FACTOR, detail={"user": user.username}
        )
    messages.success(request, f"Reset the second factor of {queryset.count()} account(s).")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "department", "is_staff", "is_superuser", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "department"]
    actions = [reset_two_factor]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Department", {"fields": ["department"]}),
    )


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    """Shows who has set up an authenticator; the secret itself is never shown."""

    list_display = ["user", "confirmed_at"]
    search_fields = ["user__username"]
    fields = ["user", "confirmed_at"]
    readonly_fields = ["user", "confirmed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log of staff access to personal data: read-only, for administrators."""

    list_display = ["at", "username", "action", "consultation_slug", "record_count"]
    list_filter = ["action", "at"]
    search_fields = ["username", "consultation_slug"]
    date_hierarchy = "at"
    readonly_fields = [
        "at",
        "user",
        "username",
        "action",
        "consultation_slug",
        "record_ids",
        "detail",
        "client_hash",
    ]

    @admin.display(description="Records")
    def record_count(self, obj: AuditEvent) -> int:
        return len(obj.record_ids)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """The running workers and when each was last heard from."""

    list_display = ["worker_id", "hostname", "pid", "started_at", "last_seen_at"]
    readonly_fields = ["worker_id", "hostname", "pid", "started_at", "last_seen_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
