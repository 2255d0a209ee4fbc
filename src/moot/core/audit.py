"""The audit log of staff access to personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest

from moot.core.models import AuditAction, AuditEvent
from moot.core.ratelimit import client_ip, ip_hash


def audit_record(
    *,
    request: HttpRequest,
    action: AuditAction,
    consultation_slug: str = "",
    record_ids: Iterable[int] = (),
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Record that the signed-in user (or ``username``, for sign-in attempts) did ``action``."""
    user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user is not None else username,
        action=action,
        consultation_slug=consultation_slug,
        record_ids=sorted(set(record_ids)),
        detail=detail or {},
        client_hash=ip_hash(client_ip(request), purpose="audit"),
    )
