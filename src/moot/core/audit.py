"""The audit log of staff access to personal data, and of every refusal.

Pages, exports, downloads and the admin record what they showed with ``audit_record``.
Refusals are recorded in one place, ``RefusalAuditMiddleware``: whatever route raises
``PermissionDenied`` (a staff page, the analysis pages, any admin view), the refusal of a
signed-in user is written down, so a route cannot forget to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from moot.core.models import AuditAction, AuditEvent
from moot.core.ratelimit import client_ip, ip_hash

# URL arguments that name the record a refused request was about.
RECORD_KWARGS = ("object_id", "response_id", "pk", "attachment_id", "run_id")


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


def audit_refusal(*, request: HttpRequest, refusal: PermissionDenied) -> AuditEvent:
    """Record that the signed-in user was refused ``request``: the route, the record it named
    and, for an ``AccessRefused``, the consultation and the capability asked for."""
    match = request.resolver_match
    kwargs = dict(match.kwargs) if match is not None else {}
    record_ids = list(getattr(refusal, "record_ids", []))
    if not record_ids:
        record_ids = [
            int(value) for key in RECORD_KWARGS if str(value := kwargs.get(key, "")).isdigit()
        ][:1]
    capability = getattr(refusal, "capability", None)
    detail: dict[str, Any] = {
        "outcome": "refused",
        "route": match.view_name if match is not None else "",
        "method": request.method or "",
        "path": request.path,
        "reason": str(refusal),
    }
    if capability is not None:
        detail["capability"] = str(capability)
    return audit_record(
        request=request,
        action=AuditAction.ACCESS_REFUSED,
        consultation_slug=getattr(refusal, "consultation_slug", "") or kwargs.get("slug", ""),
        record_ids=record_ids,
        detail=detail,
    )


class RefusalAuditMiddleware:
    """Audits every ``PermissionDenied`` a view raises for a signed-in user, then lets Django
    (or the API's middleware) answer 403 as before.

    Anonymous refusals are not written: staff pages and the admin send the anonymous to sign
    in instead, and anyone could otherwise fill the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        user = getattr(request, "user", None)
        if isinstance(exception, PermissionDenied) and getattr(user, "is_authenticated", False):
            audit_refusal(request=request, refusal=exception)
