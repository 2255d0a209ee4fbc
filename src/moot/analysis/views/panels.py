"""What the analysis shows on other apps' staff pages (registered in ``apps.py`` through
``moot.core.extensions``)."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from moot.analysis.selectors.responses import response_campaign_panel
from moot.consultations.models import Consultation, Response
from moot.core.extensions import Panel
from moot.core.permissions import Capability, user_can


def analysis_response_panel(
    *,
    user: object,
    consultation: Consultation,
    response: Response,
    cache: MutableMapping[str, Any],
) -> Panel | None:
    """On the staff response page: the response's campaign in the latest analysis or, for a
    response that came in after it, the campaign it is probably part of. Shown only to staff
    who may analyse the consultation's responses."""
    if not user_can(
        user=user, capability=Capability.ANALYSIS, department_id=consultation.department_id
    ):
        return None
    return Panel(
        template="analysis/includes/response_panel.html",
        context={
            "panel": response_campaign_panel(consultation=consultation, response=response),
            "consultation": consultation,
            "response": response,
        },
    )
