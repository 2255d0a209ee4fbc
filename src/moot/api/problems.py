"""Errors as RFC 9457 problem details: every error under /api/ has this one JSON shape.

    {"type": "<site>/api/#problem-not-found", "title": "Not found", "status": 404,
     "detail": "No consultation is published at that address.",
     "errors": {"date_from": ["Enter a date as YYYY-MM-DD."]}}

``errors`` appears only on 400 responses about parameters.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from rest_framework import exceptions
from rest_framework.response import Response

from moot.api.errors import InvalidApiKey, SearchUnavailable
from moot.core.errors import MootError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
SEARCH_RETRY_SECONDS = 60

# status: (type slug, title)
PROBLEMS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorised", "Unauthorised"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    412: ("precondition-failed", "Precondition failed"),
    413: ("too-large", "Request too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("too-many-requests", "Too many requests"),
    500: ("server-error", "Server error"),
    503: ("unavailable", "Service unavailable"),
}
DEFAULT_DETAILS = {
    400: "The request could not be understood.",
    401: "The API key is missing or not valid.",
    403: "You may not do that.",
    404: "Nothing is published at this address.",
    405: "This address only answers GET, HEAD and OPTIONS requests.",
    429: "Too many requests from this address: wait, or use an API key.",
    500: "Something went wrong on our side. It has been logged; please try again later.",
    503: "Not available at the moment: try again shortly.",
}


def problem_type(status: int) -> str:
    slug = PROBLEMS.get(status, ("error", ""))[0]
    try:
        docs = reverse("api:docs")
    except NoReverseMatch:  # a URLconf without the API's pages (some tests)
        docs = "/api/"
    return f"{settings.SITE_URL}{docs}#problem-{slug}"


def problem_data(*, status: int, detail: str = "", errors: Any = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": problem_type(status),
        "title": PROBLEMS.get(status, ("", "Error"))[1] or "Error",
        "status": status,
        "detail": detail or DEFAULT_DETAILS.get(status, ""),
    }
    if errors:
        data["errors"] = errors
    return data


def problem_response(
    *, status: int, detail: str = "", headers: dict[str, str] | None = None
) -> HttpResponse:
    """A plain Django response, for errors raised outside the API's views."""
    response = HttpResponse(
        json.dumps(problem_data(status=status, detail=detail)),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_errors(detail: Any) -> tuple[str, Any]:
    """A sentence and the per-parameter messages of a DRF validation error."""
    if isinstance(detail, dict):
        errors = {
            name: [str(m) for m in (ms if isinstance(ms, list) else [ms])]
            for name, ms in detail.items()
        }
        first = next(iter(errors.items()))
        return f"{first[0]}: {first[1][0]}", errors
    messages = [str(m) for m in (detail if isinstance(detail, list) else [detail])]
    return messages[0] if messages else "", None


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler: domain errors and DRF's own as problem details.

    Returns None for anything else, so it propagates to ``ApiMiddleware``, which logs it and
    answers 500 in the same shape.
    """
    headers: dict[str, str] = {}
    errors = None
    if isinstance(exc, InvalidApiKey):
        exc = exceptions.AuthenticationFailed(str(exc))
    if isinstance(exc, Http404):
        status, detail = 404, str(exc) if exc.args else ""
    elif isinstance(exc, PermissionDenied):
        status, detail = 403, str(exc)
    elif isinstance(exc, SearchUnavailable):
        status, detail = 503, str(exc)
        headers["Retry-After"] = str(SEARCH_RETRY_SECONDS)
    elif isinstance(exc, MootError):
        status, detail = 400, str(exc)
        parameter = getattr(exc, "parameter", None)
        errors = {parameter: [detail]} if parameter else None
    elif isinstance(exc, exceptions.ValidationError):
        status = 400
        detail, errors = _field_errors(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        status, detail = exc.status_code, str(exc.detail)
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            headers["Retry-After"] = str(max(1, math.ceil(exc.wait)))
            detail = DEFAULT_DETAILS[429]
        if isinstance(exc, exceptions.MethodNotAllowed):
            detail = DEFAULT_DETAILS[405]
    else:
        return None
    return Response(
        problem_data(status=status, detail=detail, errors=errors),
        status=status,
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
    )
