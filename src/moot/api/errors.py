"""Errors an API client or a person requesting a key can cause; shown to them, never a 500."""

from __future__ import annotations

from moot.core.errors import MootError


class InvalidCursor(MootError):
    """A ``cursor`` parameter this API did not issue, or issued for another list."""


class InvalidApiKey(MootError):
    """A key that is unknown, malformed, revoked or not yet approved."""


class SearchUnavailable(MootError):
    """The search index is not ready (being built on this machine): try again shortly."""


class InvalidSearch(MootError):
    """A search the search service cannot run, with its reason for the person who typed it."""

    parameter = "q"
