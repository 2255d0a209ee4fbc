"""What every response under /api/ gets: CORS for reads, errors as problem details (never an
HTML error page), and ETags with conditional requests."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

from moot.api.problems import PROBLEM_CONTENT_TYPE, problem_response

logger = logging.getLogger("moot.api")

API_PREFIX = "/api/"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, "
        "RateLimit-Reset"
    ),
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, X-API-Key, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}
# Kept when an error page is turned into problem details.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _resolves(request: HttpRequest) -> bool:
    try:
        resolve(request.path_info)
    except Resolver404:
        return False
    return True


def _etag(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _is_api(request):
            return self.get_response(request)
        if request.method == "OPTIONS" and _resolves(request):
            # Preflight or not, OPTIONS says what may be done here; nothing else is needed.
            response: HttpResponseBase = HttpResponse(status=204)
            response["Allow"] = "GET, HEAD, OPTIONS"
            for name, value in PREFLIGHT_HEADERS.items():
                response[name] = value
        else:
            response = self.get_response(request)
            response = self._as_problem(self._conditional(request, response))
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_api(request):
            return None
        if isinstance(exception, Http404):
            return problem_response(status=404)
        if isinstance(exception, PermissionDenied):
            return problem_response(status=403, detail=str(exception))
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"status_code": 500},
        )
        return problem_response(status=500)

    @staticmethod
    def _as_problem(response: HttpResponseBase) -> HttpResponseBase:
        """Django's own error pages (unknown address, bad host, failures in middleware) as
        problem details."""
        if response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        kept = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        return problem_response(status=response.status_code, headers=kept)

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming or not isinstance(response, HttpResponse):
            return response
        if not response.has_header("ETag"):
            response["ETag"] = _etag(response.content)
        # Caches may keep a copy, but must check it is still current before using it.
        response.setdefault("Cache-Control", "public, no-cache")
        patch_vary_headers(response, ("Accept-Encoding",))
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        conditional = get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
        if conditional is not None and conditional is not response:
            return conditional
        if request.method == "HEAD":
            # The headers of a GET (Content-Length included), without its body, whatever
            # server runs moot.
            response.content = b""
        return response
