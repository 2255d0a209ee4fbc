"""API keys in the admin: staff approve requests (the key is emailed, or shown once),
refuse them, or revoke keys. Keys are never shown again: only their prefix."""

from __future__ import annotations

import logging
import smtplib

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from moot.api.models import ApiKey, ApiKeyState
from moot.api.services import (
    api_key_issue,
    api_key_issue_and_email,
    api_key_refuse,
    api_key_revoke,
)
from moot.core.errors import InvalidTransition

logger = logging.getLogger(__name__)

STATE_FILTERS = {
    ApiKeyState.REQUESTED: {
        "approved_at__isnull": True,
        "refused_at__isnull": True,
        "revoked_at__isnull": True,
    },
    ApiKeyState.ACTIVE: {"approved_at__isnull": False, "revoked_at__isnull": True},
    ApiKeyState.REFUSED: {"refused_at__isnull": False, "revoked_at__isnull": True},
    ApiKeyState.REVOKED: {"revoked_at__isnull": False},
}


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(state.value, state.label) for state in ApiKeyState]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value in STATE_FILTERS:
            return queryset.filter(**STATE_FILTERS[ApiKeyState(value)])
        return queryset


@admin.action(description="Approve and email each key to its holder", permissions=["change"])
def approve_and_email(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    sent = 0
    for api_key in queryset.filter(**STATE_FILTERS[ApiKeyState.REQUESTED]):
        try:
            api_key_issue_and_email(api_key=api_key, by=request.user)  # type: ignore[arg-type]
        except (smtplib.SMTPException, OSError):
            logger.exception("could not email API key %s", api_key.pk)
            messages.error(
                request,
                f"Could not email {api_key.email}, so no key was issued to them. Try again "
                "later, or approve with “show the key once” and pass it on yourself.",
            )
            continue
        sent += 1
    skipped = queryset.count() - sent
    if sent:
        messages.success(request, f"Approved and emailed {sent} key(s).")
    if skipped:
        messages.warning(
            request, f"{skipped} selected key(s) were not awaiting approval or could not be sent."
        )


@admin.action(
    description="Approve, or replace the key, and show it once (to pass on yourself)",
    permissions=["change"],
)
def approve_and_show(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> TemplateResponse | None:
    issued = []
    for api_key in queryset:
        try:
            issued.append((api_key, api_key_issue(api_key=api_key, by=request.user)))  # type: ignore[arg-type]
        except InvalidTransition as error:
            messages.warning(request, f"{api_key}: {error}")
    if not issued:
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "API keys issued",
        "issued": issued,
        "opts": modeladmin.model._meta,
    }
    response = TemplateResponse(request, "admin/api/apikey/issued.html", context)
    add_never_cache_headers(response)
    return response


@admin.action(description="Refuse the request", permissions=["change"])
def refuse(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    refused = 0
    for api_key in queryset:
        try:
            api_key_refuse(api_key=api_key)
            refused += 1
        except InvalidTransition as error:
            messages.warning(request, f"{api_key}: {error}")
    if refused:
        messages.success(request, f"Refused {refused} request(s).")


@admin.action(description="Revoke the key (it stops working at once)", permissions=["change"])
def revoke(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    for api_key in queryset:
        api_key_revoke(api_key=api_key)
    messages.success(request, f"Revoked {queryset.count()} key(s).")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "state_label",
        "prefix_label",
        "created_at",
        "approved_at",
        "last_used_at",
        "rate_limit",
    ]
    list_filter = [StateFilter]
    search_fields = ["name", "email", "prefix"]
    actions = [approve_and_email, approve_and_show, refuse, revoke]
    editable = ["name", "email", "purpose", "rate_limit"]
    # Only what the person asked with, and the key's own limit, are edited by hand.
    readonly_fields = [
        "state_label",
        "prefix_label",
        "created_at",
        "approved_at",
        "approved_by",
        "refused_at",
        "revoked_at",
        "last_used_at",
    ]
    fields = [*editable, *readonly_fields]

    @admin.display(description="State")
    def state_label(self, obj: ApiKey) -> str:
        return str(obj.state.label)

    @admin.display(description="Key", ordering="prefix")
    def prefix_label(self, obj: ApiKey) -> str:
        return f"moot_{obj.prefix}_…" if obj.prefix else "—"
