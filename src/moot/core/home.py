"""The home page's sections, added by the apps that own their content.

core must not import the apps built on it, so each app that has something for the home page
(open consultations, recently answered questions) registers a section from its
``AppConfig.ready``. Sections are shown in ``order``, two to a row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class HomeSection:
    order: int
    template: str
    context: Callable[[HttpRequest], Mapping[str, Any]]


@dataclass(frozen=True)
class RenderedSection:
    template: str
    context: Mapping[str, Any]


_sections: dict[str, HomeSection] = {}


def home_section_register(
    *, name: str, order: int, template: str, context: Callable[[HttpRequest], Mapping[str, Any]]
) -> None:
    """Show ``template`` on the home page with ``context(request)`` (again for one name:
    replaced, so registering twice shows it once)."""
    _sections[name] = HomeSection(order=order, template=template, context=context)


def home_sections(*, request: HttpRequest) -> list[RenderedSection]:
    return [
        RenderedSection(template=section.template, context=section.context(request))
        for section in sorted(_sections.values(), key=lambda section: section.order)
    ]
