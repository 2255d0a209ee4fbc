"""Demo moderation: a few responses to the analysis demo consultation, moderated and
published as staff would (every suggested redaction applied, every text approved).
Idempotent: nothing is added once any response of it is published."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moot.consultations.models import (
    Consultation,
    ModerationDecision,
    RedactionReason,
    ResponsePublication,
)
from moot.consultations.selectors.exports import responses_publishable
from moot.consultations.services.moderation import (
    moderation_text,
    redaction_add,
    response_moderations_ensure,
    response_publish,
    text_moderation_decide,
)
from moot.consultations.services.redaction_suggestions import redaction_suggestions
from moot.core.models import User
from moot.demo.analysis import SLUG

if TYPE_CHECKING:
    from moot.demo.loader import DemoSummary

DEMO_PUBLISHED_RESPONSES = 12


def load_demo_moderation(summary: DemoSummary, *, by: User) -> None:
    consultation = Consultation.objects.filter(slug=SLUG).first()
    if consultation is None:
        return
    if ResponsePublication.objects.filter(response__consultation=consultation).exists():
        return
    for response in responses_publishable(consultation=consultation)[:DEMO_PUBLISHED_RESPONSES]:
        for moderation in response_moderations_ensure(response=response):
            text = moderation_text(moderation)
            for found in redaction_suggestions(text=text, respondent_name=response.respondent_name):
                redaction_add(
                    moderation=moderation,
                    start=found.start,
                    end=found.end,
                    reason=RedactionReason.PERSONAL_DATA,
                    by=by,
                    note=f"Suggested: {found.kind}",
                )
            text_moderation_decide(
                moderation=moderation, decision=ModerationDecision.APPROVED, by=by, note="Demo"
            )
        response_publish(response=response, by=by)
        summary.add("published responses", True)
