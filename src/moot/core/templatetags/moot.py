"""Template filters every moot template can use (registered as builtins in settings)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from moot.core import extensions
from moot.core.html import sanitise_html
from moot.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    return render_markdown(text or "")


def ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


@register.filter
def govuk_date(value: dt.date | dt.datetime | None) -> str:
    """``3 December 2007``: the GOV.UK style for dates."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return f"{value.day} {value:%B %Y}"


@register.filter
def ordinal_date(value: dt.date | dt.datetime | None) -> str:
    """``3rd December 2007``: the style of Hansard-derived pages."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return f"{ordinal(value.day)} {value:%B %Y}"


@register.filter
def govuk_datetime(value: dt.datetime | None) -> str:
    """``11:59pm on 12 June 2008``."""
    if value is None:
        return ""
    local = _local(value)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.hour == 12 and local.minute == 0:
        time_text = "midday"
    elif local.hour == 0 and local.minute == 0:
        time_text = "midnight"
    else:
        time_text = f"{hour}:{local.minute:02d}{suffix}"
    return f"{time_text} on {local.day} {local:%B %Y}"


@register.filter
def file_size(size: int | None) -> str:
    """``45 KB``, ``1.2 MB``: sizes as GOV.UK attachments show them."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def clean_html(html: str | None) -> SafeString:
    """Stored HTML from outside, cleaned again on the way out in case it was stored raw."""
    return mark_safe(sanitise_html(html or ""))  # noqa: S308 - sanitised just now


@register.simple_tag(takes_context=True)
def page_panels(context: template.Context, hook: str, **objects: object) -> SafeString:
    """The panels other apps registered for ``hook`` (see ``moot.core.extensions``)."""
    request = context.get("request")
    rendered = [
        render_to_string(panel.template, panel.context, request=request)
        for panel in extensions.panels_for(hook=hook, objects=objects, cache=_page_cache(context))
    ]
    return mark_safe("".join(rendered))  # noqa: S308 - each is a rendered, escaped template


@register.simple_tag(takes_context=True)
def decorated(
    context: template.Context, hook: str, html: SafeString, record: object, **objects: object
) -> SafeString:
    """``html`` as the decorators other apps registered for ``hook`` rewrite it."""
    return extensions.decorated(
        hook=hook, html=html, record=record, objects=objects, cache=_page_cache(context)
    )


def _page_cache(context: template.Context) -> dict[str, object]:
    # Kept on the page's outermost context, so every hook on the page shares it.
    cache = context.dicts[0].setdefault("_extension_cache", {})
    return cache
