"""What the row generators of the open-data datasets share."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

# Rows fetched from the database at a time: memory stays flat however big a table is.
CHUNK = 2000

Row = dict[str, Any]


def site_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def api_link(name: str, **kwargs: Any) -> str:
    return site_link(reverse(f"api:{name}", kwargs=kwargs))


def slug_of(obj: Any) -> str | None:
    return obj.slug if obj is not None else None
