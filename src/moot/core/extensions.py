"""Extension points: how one app's pages show what another app knows, without importing it.

An app that must not be imported by another (the policy app by parliament and
consultations, say) registers, in its ``ready()``, *panels* to show on the other's pages
and *decorators* that rewrite a piece of those pages' HTML. The pages name the hook and
pass their objects: ``{% page_panels "parliament.question" question=question %}`` and
``{% decorated "parliament.answer_body" html answer page=page %}``. With nothing registered a panel
hook shows nothing and a decorated piece is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    """A template to include, with its context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


# Providers and decorators are given ``cache``: one mapping for the whole page, so that what
# one of them loads (a page's mentions, say) the others reuse.
PanelProvider = Callable[..., Panel | None]
# Called as ``decorator(html, record, cache=…, **objects)``: given HTML that is safe, the
# record it shows and the page's objects, HTML that is still safe.
Decorator = Callable[..., SafeString]

_panels: dict[str, list[tuple[int, PanelProvider]]] = {}
_decorators: dict[str, list[Decorator]] = {}


def panel_provider_register(*, hook: str, provider: PanelProvider, order: int = 0) -> None:
    """Show ``provider``'s panel wherever a page names ``hook``; panels of lower ``order``
    come first, and those of one order in the order they were registered."""
    providers = _panels.setdefault(hook, [])
    if all(registered is not provider for _, registered in providers):
        providers.append((order, provider))
        providers.sort(key=lambda entry: entry[0])


def decorator_register(*, hook: str, decorator: Decorator) -> None:
    if decorator not in _decorators.setdefault(hook, []):
        _decorators[hook].append(decorator)


def panels_for(
    *, hook: str, objects: dict[str, Any], cache: MutableMapping[str, Any]
) -> list[Panel]:
    found = (provider(cache=cache, **objects) for _, provider in _panels.get(hook, []))
    return [panel for panel in found if panel is not None]


def decorated(
    *,
    hook: str,
    html: SafeString,
    record: Any,
    objects: dict[str, Any],
    cache: MutableMapping[str, Any],
) -> SafeString:
    for decorator in _decorators.get(hook, []):
        html = decorator(html, record, cache=cache, **objects)
    return html
