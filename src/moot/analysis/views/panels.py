"""What the analysis shows on other apps' staff pages (registered in ``apps.py``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from moot.analysis.selectors.responses import response_campaign_panel
from moot.consultations.models import Consultation, Response
from moot.core.permissions import Capability, user_can


def analysis_response_panel(
    *, request: HttpRequest, consultation: Consultation, response: Response
) -> SafeString:
    """On the staff response page: the response's campaign in the latest analysis or, for a
    response that came in after it, the campaign it is probably part of. Shown only to staff
    who may analyse the consultation's responses."""
    if not user_can(
        user=request.user,
        capability=Capability.ANALYSIS,
        department_id=consultation.department_id,
    ):
        return mark_safe("")
    context = {
        "panel": response_campaign_panel(consultation=consultation, response=response),
        "consultation": consultation,
        "response": response,
    }
    # render_to_string escapes the context: the result is safe HTML.
    return mark_safe(  # noqa: S308
        render_to_string("analysis/includes/response_panel.html", context, request=request)
    )
