"""Template filters for the parliament pages: ``{% load parliament %}``."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from moot.core.html import sanitise_html

register = template.Library()

_TABLE_START = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_END = re.compile(r"</table>", re.IGNORECASE)


@register.filter
def answer_html(html: str | None) -> SafeString:
    """An answer's stored HTML, cleaned again, with each table in a region that scrolls
    sideways on narrow screens (and can be focused, so keyboards can scroll it too)."""
    cleaned = sanitise_html(html or "")
    wrapped = _TABLE_START.sub(
        '<div class="moot-table-wrapper" role="region" aria-label="Table" tabindex="0"><table',
        cleaned,
    )
    wrapped = _TABLE_END.sub("</table></div>", wrapped)
    return mark_safe(wrapped)  # noqa: S308 - sanitised just now; only our own wrapper added


@register.filter
def people_think(count: int, side: str) -> str:
    """``0 people think so``, ``1 person thinks not``."""
    people = "person thinks" if count == 1 else "people think"
    return f"{count} {people} {'so' if side == 'yes' else 'not'}"
