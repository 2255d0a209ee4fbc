"""Panels other apps add to the consultations app's staff pages.

consultations must not import the apps built on it (analysis, for one), so an app that has
something to show on a staff response page registers a panel from its ``AppConfig.ready``.
A panel renders its own template and decides itself who may see it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from moot.consultations.models import Consultation, Response

ResponsePanel = Callable[..., SafeString]

_response_panels: list[ResponsePanel] = []


def staff_response_panel_register(panel: ResponsePanel) -> None:
    """Show ``panel(request=…, consultation=…, response=…)`` on every staff response page
    (idempotent). It returns the panel's HTML, or an empty string to show nothing."""
    if panel not in _response_panels:
        _response_panels.append(panel)


def staff_response_panels(
    *, request: HttpRequest, consultation: Consultation, response: Response
) -> list[SafeString]:
    rendered = (
        panel(request=request, consultation=consultation, response=response)
        for panel in _response_panels
    )
    return [html for html in rendered if html]
