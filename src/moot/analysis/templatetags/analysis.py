"""Template tags that let other apps' staff pages show what the analysis knows."""

from __future__ import annotations

from typing import Any

from django import template

from moot.analysis.selectors.responses import response_campaign_panel
from moot.core.permissions import Capability, user_can

register = template.Library()


@register.inclusion_tag("analysis/includes/response_panel.html", takes_context=True)
def analysis_response_panel(context: template.Context) -> dict[str, Any]:
    """On the staff response page: the response's campaign in the latest analysis or, for a
    response that came in after it, the campaign it is probably part of. Shown only to staff
    who may analyse the consultation's responses."""
    request = context.get("request")
    consultation = context.get("consultation")
    response = context.get("response")
    if request is None or consultation is None or response is None:
        return {"panel": None}
    if not user_can(
        user=request.user,
        capability=Capability.ANALYSIS,
        department_id=consultation.department_id,
    ):
        return {"panel": None}
    return {
        "panel": response_campaign_panel(consultation=consultation, response=response),
        "consultation": consultation,
        "response": response,
    }
