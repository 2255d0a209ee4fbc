"""Cursor pagination on a stable key: opaque, signed cursors that survive inserts.

A page is fetched with a keyset condition ("after this row in this order"), never an offset,
so a page costs the same however deep it is and rows added meanwhile do not shift the pages
a client is walking through. The ordering always ends with a unique field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.core import signing
from django.db.models import Model, Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from moot.api.errors import InvalidCursor

CURSOR_SALT = "moot.api.cursor"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

Direction = Literal["next", "previous"]


@dataclass(frozen=True)
class Position:
    """Where a page starts: after (``next``) or before (``previous``) a row's key values."""

    values: tuple[Any, ...]
    direction: Direction


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def cursor_encode(*, ordering: tuple[str, ...], row: Model, direction: Direction) -> str:
    values = [_encode_value(getattr(row, field.lstrip("-"))) for field in ordering]
    payload = {"o": ",".join(ordering), "v": values, "d": direction[0]}
    return _cursor_sign(payload)


def _signer() -> signing.Signer:
    # Made when used: Signer reads SECRET_KEY, which must not be read at import time.
    return signing.Signer(salt=CURSOR_SALT)


def _cursor_sign(payload: dict[str, Any]) -> str:
    # Signed without a timestamp: the same row gives the same cursor, so a page's body (and
    # the ETag hashed from it) depends on what it shows alone, and If-None-Match works
    # across requests. Cursors never expire, so a timestamp bought nothing.
    return _signer().sign_object(payload, compress=True)


def _cursor_payload(cursor: str) -> Any:
    """What a cursor holds; ``InvalidCursor`` if this API did not sign it. Cursors issued
    before they were signed without a timestamp still work."""
    # A timestamped cursor passes the plain signature check (its signature covers the value
    # and the timestamp) but does not decode as one, hence ValueError.
    for load in (_signer().unsign_object, _timestamped_loads):
        try:
            return load(cursor)
        except (signing.BadSignature, ValueError):
            continue
    raise InvalidCursor("The cursor is not one this API issued.")


def _timestamped_loads(cursor: str) -> Any:
    return signing.loads(cursor, salt=CURSOR_SALT)


def cursor_decode(*, cursor: str, ordering: tuple[str, ...], model: type[Model]) -> Position:
    """The position a cursor names; ``InvalidCursor`` for anything this list did not issue."""
    payload = _cursor_payload(cursor)
    if (
        not isinstance(payload, dict)
        or payload.get("o") != ",".join(ordering)
        or payload.get("d") not in ("n", "p")
        or not isinstance(payload.get("v"), list)
        or len(payload["v"]) != len(ordering)
    ):
        raise InvalidCursor("The cursor belongs to another list.")
    values = []
    for field_name, raw in zip(ordering, payload["v"], strict=True):
        field = model._meta.get_field(field_name.lstrip("-"))
        try:
            values.append(field.to_python(raw))  # type: ignore[union-attr]
        except Exception:
            raise InvalidCursor("The cursor is not one this API issued.") from None
    return Position(values=tuple(values), direction="next" if payload["d"] == "n" else "previous")


def keyset_filter(*, ordering: tuple[str, ...], position: Position) -> Q:
    """Rows strictly after (or before) ``position`` in ``ordering``."""
    condition = Q()
    for index, field in enumerate(ordering):
        name = field.lstrip("-")
        descending = field.startswith("-")
        forwards = position.direction == "next"
        lookup = "lt" if descending == forwards else "gt"
        step = Q(**{f"{name}__{lookup}": position.values[index]})
        for earlier in range(index):
            step &= Q(**{ordering[earlier].lstrip("-"): position.values[earlier]})
        condition |= step
    return condition


def _reversed(ordering: tuple[str, ...]) -> list[str]:
    return [field[1:] if field.startswith("-") else f"-{field}" for field in ordering]


def page_size_from(request: Request) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [f"Enter a whole number from 1 to {MAX_PAGE_SIZE}."]})
    return int(raw)


class KeysetPagination(BasePagination):
    """Pages of a queryset in the view's ``ordering``, with ``next`` and ``previous`` links."""

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list[Model]:
        ordering: tuple[str, ...] = view.ordering
        self.request, self.ordering = request, ordering
        size = page_size_from(request)
        cursor = request.query_params.get("cursor")
        position = (
            cursor_decode(cursor=cursor, ordering=ordering, model=queryset.model)
            if cursor is not None
            else None
        )
        if position is None or position.direction == "next":
            rows = list(
                (
                    queryset.filter(keyset_filter(ordering=ordering, position=position))
                    if position
                    else queryset
                ).order_by(*ordering)[: size + 1]
            )
            self.has_next, self.has_previous = len(rows) > size, position is not None
            rows = rows[:size]
        else:
            rows = list(
                queryset.filter(keyset_filter(ordering=ordering, position=position)).order_by(
                    *_reversed(ordering)
                )[: size + 1]
            )
            self.has_previous, self.has_next = len(rows) > size, True
            rows = list(reversed(rows[:size]))
        self.rows = rows
        return rows

    def _link(self, row: Model | None, direction: Direction) -> str | None:
        if row is None:
            return None
        cursor = cursor_encode(ordering=self.ordering, row=row, direction=direction)
        return page_link(self.request, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        following = self._link(self.rows[-1] if self.rows else None, "next")
        preceding = self._link(self.rows[0] if self.rows else None, "previous")
        next_url = following if self.has_next else None
        previous_url = preceding if self.has_previous else None
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((next_url, "next"), (previous_url, "prev"))
            if url
        ]
        headers = {"Link": ", ".join(links)} if links else None
        return Response(
            {"next": next_url, "previous": previous_url, "results": data}, headers=headers
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last page."},
                "previous": {
                    **link,
                    "description": "The previous page, or null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return CURSOR_PARAMETERS


def page_cursor_encode(*, scope: str, page: int) -> str:
    """A cursor for page ``page`` of a list that is paged by number (search results), bound
    to ``scope`` (the search it belongs to)."""
    return _cursor_sign({"o": scope, "p": page})


def page_cursor_decode(*, cursor: str, scope: str) -> int:
    payload = _cursor_payload(cursor)
    if not isinstance(payload, dict) or payload.get("o") != scope:
        raise InvalidCursor("The cursor belongs to another search.")
    page = payload.get("p")
    if not isinstance(page, int) or page < 1:
        raise InvalidCursor("The cursor is not one this API issued.")
    return page


def page_link(request: Request, cursor: str) -> str:
    params = request.query_params.copy()
    params["cursor"] = cursor
    return f"{settings.SITE_URL}{request.path}?{params.urlencode()}"


CURSOR_PARAMETERS = [
    {
        "name": "cursor",
        "in": "query",
        "required": False,
        "description": "Where the page starts: copy it from a `next` or `previous` link.",
        "schema": {"type": "string", "minLength": 1},
    },
    {
        "name": "page_size",
        "in": "query",
        "required": False,
        "description": f"Results per page (default {DEFAULT_PAGE_SIZE}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    },
]
