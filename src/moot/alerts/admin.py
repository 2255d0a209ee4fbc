from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from moot.alerts import services
from moot.alerts.models import (
    Alert,
    AlertConfirmation,
    AlertMatch,
    AlertRequest,
    DeliveryProblem,
    Digest,
    ItemCursor,
    ProblemKind,
    Subscriber,
    SuspensionReason,
)


class AlertInline(admin.TabularInline):
    model = Alert
    fields = ["kind", "query", "consultation", "frequency", "paused_at", "created_at"]
    readonly_fields = ["kind", "query", "consultation", "frequency", "paused_at", "created_at"]
    extra = 0
    can_delete = True
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # alerts are only ever set up by their address's owner


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at", "suspended_at", "suspension_reason"]
    list_filter = ["suspension_reason"]
    search_fields = ["email"]
    readonly_fields = ["email", "created_at", "daily_sent_at", "suspended_at", "suspension_reason"]
    inlines = [AlertInline]
    actions = ["record_bounce", "record_complaint", "suspend", "reinstate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def _record(self, request: HttpRequest, queryset: QuerySet[Subscriber], kind: str) -> None:
        for subscriber in queryset:
            services.delivery_problem_record(
                email=subscriber.email, kind=kind, detail=f"recorded by {request.user}"
            )
        self.message_user(request, f"Recorded for {queryset.count()} address(es); suspended.")

    @admin.action(description="Record a hard bounce (suspends the address)")
    def record_bounce(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        self._record(request, queryset, ProblemKind.HARD_BOUNCE)

    @admin.action(description="Record a spam complaint (suspends the address)")
    def record_complaint(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        self._record(request, queryset, ProblemKind.COMPLAINT)

    @admin.action(description="Suspend: send nothing more, even confirmations")
    def suspend(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        for subscriber in queryset:
            services.subscriber_suspend(subscriber=subscriber, reason=SuspensionReason.ADMIN)
        self.message_user(request, "Suspended.", messages.SUCCESS)

    @admin.action(description="Lift the suspension")
    def reinstate(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        for subscriber in queryset:
            services.subscriber_reinstate(subscriber=subscriber)
        self.message_user(request, "Suspension lifted.", messages.SUCCESS)


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "kind", "query", "consultation", "frequency", "paused_at"]
    list_filter = ["kind", "frequency"]
    search_fields = ["subscriber__email", "query"]
    readonly_fields = ["subscriber", "kind", "query", "consultation", "created_at"]
    fields = [*readonly_fields, "description", "frequency", "paused_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["id", "subscriber", "state", "created_at", "sent_at", "attempts"]
    list_filter = ["state"]
    search_fields = ["subscriber__email", "message_id"]
    readonly_fields = [
        "subscriber",
        "state",
        "message_id",
        "created_at",
        "claimed_until",
        "attempts",
        "sent_at",
        "last_error",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(DeliveryProblem)
class DeliveryProblemAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["email"]
    fields = ["email", "kind", "detail"]

    def save_model(
        self, request: HttpRequest, obj: DeliveryProblem, form: object, change: bool
    ) -> None:
        # Recording goes through the service, so the address is suspended as it should be.
        if change:
            super().save_model(request, obj, form, change)
            return
        services.delivery_problem_record(email=obj.email, kind=obj.kind, detail=obj.detail)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the sending machinery keeps: staff look, the services write."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AlertRequest)
class AlertRequestAdmin(ReadOnlyAdmin):
    list_display = ["email", "kind", "query", "consultation", "created_at", "confirmed_at"]
    list_filter = ["kind"]
    search_fields = ["email", "query"]


@admin.register(AlertMatch)
class AlertMatchAdmin(ReadOnlyAdmin):
    list_display = ["item_key", "title", "alert", "matched_at", "digest"]
    search_fields = ["item_key", "title", "alert__subscriber__email"]
    list_select_related = ["alert__subscriber", "digest"]


@admin.register(ItemCursor)
class ItemCursorAdmin(ReadOnlyAdmin):
    list_display = ["name", "position"]


@admin.register(AlertConfirmation)
class AlertConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["request_id", "alert", "confirmed_at"]
    list_select_related = ["alert"]
