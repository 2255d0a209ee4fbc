"""Who is calling the API, and how often they may: keys from the Authorization or X-API-Key
header, and per-hour limits for anonymous addresses (higher, or none, for keys)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from moot.api.errors import InvalidApiKey
from moot.api.models import ApiKey
from moot.api.services import api_key_use
from moot.core.ratelimit import (
    client_ip,
    ip_hash,
    rate_limit_count,
    rate_limit_window_ends_in,
)

BEARER = "bearer "


def presented_key(request: Request) -> str | None:
    """The key sent with the request, if any; a malformed Authorization header is an error."""
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        if not authorization.lower().startswith(BEARER) or not authorization[len(BEARER) :].strip():
            raise exceptions.AuthenticationFailed(
                "Send your API key as 'Authorization: Bearer <key>' or in an X-API-Key header."
            )
        return authorization[len(BEARER) :].strip()
    key = request.META.get("HTTP_X_API_KEY", "").strip()
    return key or None


class ApiKeyAuthentication(BaseAuthentication):
    """``request.auth`` is the caller's ``ApiKey``, or None for anonymous use."""

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        key = presented_key(request)
        if key is None:
            return None
        try:
            return AnonymousUser(), api_key_use(presented=key)
        except InvalidApiKey as error:
            raise exceptions.AuthenticationFailed(str(error)) from None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="moot API"'


@dataclass(frozen=True)
class RateLimitState:
    limit: int  # 0: no limit
    remaining: int
    resets_in: int


def _limits(request: Request) -> tuple[str, int]:
    api_key = request.auth
    if isinstance(api_key, ApiKey):
        limit = api_key.rate_limit
        if limit is None:
            limit = settings.API_KEY_RATE_LIMIT
        return f"key:{api_key.pk}", limit
    address = ip_hash(client_ip(request), purpose="ratelimit:api")
    return f"ip:{address}", settings.API_RATE_LIMIT


class ApiRateThrottle(BaseThrottle):
    """Fixed windows of ``API_RATE_LIMIT_WINDOW_SECONDS`` counted in the cache (shared between
    processes when ``CACHE_URL`` is set). Leaves the state on the request for the
    RateLimit-* headers."""

    def allow_request(self, request: Request, view: Any) -> bool:
        identity, limit = _limits(request)
        window = settings.API_RATE_LIMIT_WINDOW_SECONDS
        self.resets_in = rate_limit_window_ends_in(window_seconds=window)
        if limit <= 0:
            return True
        count = rate_limit_count(scope="api", identity=identity, window_seconds=window)
        request.rate_limit = RateLimitState(
            limit=limit, remaining=max(0, limit - count), resets_in=self.resets_in
        )
        return count <= limit

    def wait(self) -> float:
        return float(self.resets_in)
