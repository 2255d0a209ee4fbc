"""Extension points: one app's panels and HTML decorators on another app's pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.template import Context, Template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from moot.core import extensions
from moot.core.extensions import Panel


@pytest.fixture
def hooks() -> Iterator[None]:
    saved = (dict(extensions._panels), dict(extensions._decorators))
    yield
    extensions._panels.clear()
    extensions._panels.update(saved[0])
    extensions._decorators.clear()
    extensions._decorators.update(saved[1])


def render(source: str, **context: Any) -> str:
    return Template(source).render(Context(context))


def test_a_hook_with_nothing_registered_shows_nothing_and_changes_nothing(hooks: None) -> None:
    html = render(
        '[{% page_panels "test.none" thing=thing %}]{% decorated "test.none" body thing %}',
        thing="x",
        body=mark_safe("<p>a &amp; b</p>"),
    )
    assert html == "[]<p>a &amp; b</p>"


def test_registered_panels_and_decorators_share_one_cache_per_page(hooks: None) -> None:
    pages: list[object] = []

    def decorator(html: SafeString, record: str, *, cache: dict, **objects: Any) -> SafeString:
        cache.setdefault("seen", []).append(record)
        pages.append(objects["page"])
        return mark_safe(f"<mark>{html}</mark>")  # noqa: S308 - wraps HTML already safe

    def provider(*, cache: dict, thing: str, **_: Any) -> Panel:
        seen = ", ".join(cache["seen"])
        return Panel(template="includes/breadcrumbs.html", context={"crumbs": [(seen, None)]})

    extensions.decorator_register(hook="test.body", decorator=decorator)
    extensions.decorator_register(hook="test.body", decorator=decorator)  # registered once
    extensions.panel_provider_register(hook="test.page", provider=lambda **_: None)
    extensions.panel_provider_register(hook="test.page", provider=provider)
    html = render(
        '{% decorated "test.body" body "one" page="p" %}'
        '{% decorated "test.body" body "two" page="p" %}'
        '{% page_panels "test.page" thing="t" %}',
        body=mark_safe(escape("<b>")),  # noqa: S308 - escaped just now
    )
    assert html.count("<mark>&lt;b&gt;</mark>") == 2
    assert "one, two" in html  # the panel saw what the decorators put in the page's cache
    assert pages == ["p", "p"]
