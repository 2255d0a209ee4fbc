"""Who is voting, from the request: the reader's cookie, their address's keyed hash, the
rate limit and the forgery check. Views call these; the rules are in ``services.votes``."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

from moot.core.ratelimit import client_ip, ip_hash, request_allowed
from moot.parliament.services.votes import VoteRefused, voter_key_for

VOTER_COOKIE = "moot_voter"
VOTER_COOKIE_SALT = "moot.parliament.answer-vote"
VOTER_COOKIE_MAX_AGE = 2 * 365 * 24 * 3600
VOTE_RATE_LIMIT = 60  # votes an hour from one address: enough for a busy office
_VOTER_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def reader_voter_id(request: HttpRequest) -> str | None:
    """The id in the reader's signed cookie; None when absent or tampered with."""
    value = request.get_signed_cookie(VOTER_COOKIE, default=None, salt=VOTER_COOKIE_SALT)
    return value if isinstance(value, str) and _VOTER_ID.match(value) else None


def reader_voter_key(request: HttpRequest) -> str | None:
    voter_id = reader_voter_id(request)
    return voter_key_for(voter_id) if voter_id else None


def voter_ip_hash(request: HttpRequest) -> str:
    return ip_hash(client_ip(request), purpose="answer-vote")


def vote_allowed(request: HttpRequest) -> None:
    limit = getattr(settings, "ANSWER_VOTE_RATE_LIMIT", VOTE_RATE_LIMIT)
    if not request_allowed(request, scope="answer-vote", limit=limit, window_seconds=3600):
        raise VoteRefused(
            "Too many votes have come from your network in the last hour. Try again later.",
            status=429,
        )


def forgery_problem(request: HttpRequest) -> None:
    """Refuse a vote another site made the reader's browser send.

    A vote says it came from one of moot's own pages through the Origin or Sec-Fetch-Site
    header, which browsers set and pages cannot forge; pages served from the shared cache
    carry no CSRF token, so this is the check their votes pass. Failing that, a vote with
    Django's CSRF cookie and token passes Django's own check.
    """
    if getattr(request, "_dont_enforce_csrf_checks", False):
        return
    origin = request.headers.get("Origin", "")
    own = request.build_absolute_uri("/").rstrip("/")
    if request.headers.get("Sec-Fetch-Site") == "same-origin" or origin in (
        own,
        *settings.CSRF_TRUSTED_ORIGINS,
    ):
        return
    if settings.CSRF_COOKIE_NAME in request.COOKIES:
        refused = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})  # type: ignore[arg-type]
        if refused is None:
            return
    raise VoteRefused(
        "This vote did not come from a page on this site, so it was not counted. "
        "Go back to the question and vote there.",
        status=403,
    )


def remember_voter(response: HttpResponse, voter_id: str | None) -> HttpResponse:
    if voter_id:
        response.set_signed_cookie(
            VOTER_COOKIE,
            voter_id,
            salt=VOTER_COOKIE_SALT,
            max_age=VOTER_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
