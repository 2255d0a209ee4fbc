"""Staff pages for publishing responses with care: the list of responses that may be
published, and one response's moderation (decisions, redactions, publish, withdraw).

Responses come through ``response_for_staff`` (the department's own, for staff who may see
responses); a moderation or redaction is looked up within that response only, so an id of
another department's record finds nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from moot.consultations.forms.moderation import DecisionForm, RedactionForm, WithdrawForm
from moot.consultations.models import (
    ModerationDecision,
    Redaction,
    RedactionReason,
    Response,
    TextModeration,
)
from moot.consultations.selectors.access import consultation_for_staff
from moot.consultations.selectors.moderation import moderation_rows
from moot.consultations.selectors.responses import response_for_staff
from moot.consultations.services import moderation as services
from moot.consultations.services.redaction_suggestions import redaction_suggestions
from moot.consultations.views.staff import _staff_user, staff_required
from moot.core.audit import audit_record
from moot.core.errors import MootError
from moot.core.models import AuditAction
from moot.core.permissions import Capability


def _response(request: HttpRequest, slug: str, response_id: int) -> Response:
    consultation = consultation_for_staff(
        user=request.user, slug=slug, capability=Capability.RESPONSES
    )
    return response_for_staff(user=request.user, consultation=consultation, response_id=response_id)


@staff_required
def staff_moderation(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_staff(
        user=request.user, slug=slug, capability=Capability.RESPONSES
    )
    rows = moderation_rows(consultation=consultation)
    audit_record(
        request=request,
        action=AuditAction.VIEW_RESPONSES,
        consultation_slug=slug,
        record_ids=[row.response.pk for row in rows],
        detail={"page": "moderation"},
    )
    context = {"consultation": consultation, "rows": rows}
    return render(request, "consultations/staff/moderation.html", context)


def _texts(response: Response) -> list[dict[str, Any]]:
    texts = []
    for moderation in services.response_moderations_ensure(response=response):
        text = services.moderation_text(moderation)
        redactions = list(moderation.redactions.all())
        try:
            preview = services.text_redacted(text=text, redactions=redactions)
        except services.RedactionRefused as error:
            preview = str(error)
        taken = [(r.start, r.end) for r in redactions]
        suggestions = [
            {"start": s.start, "end": s.end, "kind": s.kind, "passage": text[s.start : s.end]}
            for s in redaction_suggestions(text=text, respondent_name=response.respondent_name)
            if not any(s.start < end and start < s.end for start, end in taken)
        ]
        texts.append(
            {
                "moderation": moderation,
                "text": text,
                "preview": preview,
                "redactions": redactions,
                "suggestions": suggestions,
                "decision_form": DecisionForm(
                    initial={"decision": moderation.decision}, prefix=f"m{moderation.pk}"
                ),
                "redaction_form": RedactionForm(prefix=f"r{moderation.pk}"),
            }
        )
    return texts


@staff_required
def staff_response_moderation(request: HttpRequest, slug: str, response_id: int) -> HttpResponse:
    response = _response(request, slug, response_id)
    audit_record(
        request=request,
        action=AuditAction.VIEW_RESPONSE,
        consultation_slug=slug,
        record_ids=[response.pk],
        detail={"page": "moderation"},
    )
    context = {
        "consultation": response.consultation,
        "response": response,
        "refusal": services.publication_refusal(response=response),
        "publication": getattr(response, "publication", None),
        "texts": _texts(response),
        "reasons": RedactionReason.choices,
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "consultations/staff/moderate_response.html", context)


def _moderation_of(response: Response, moderation_id: str | None) -> TextModeration:
    text = moderation_id or ""
    moderation = (
        TextModeration.objects.filter(response=response, pk=int(text))
        .select_related("response__consultation")
        .first()
        if text.isdigit()
        else None
    )
    if moderation is None:
        raise Http404("No such answer")
    return moderation


@staff_required
@require_POST
def staff_moderation_action(
    request: HttpRequest, slug: str, response_id: int, action: str
) -> HttpResponse:
    response = _response(request, slug, response_id)
    by = _staff_user(request)
    data = request.POST
    try:
        if action == "decide":
            moderation = _moderation_of(response, data.get("moderation"))
            form = DecisionForm(data, prefix=f"m{moderation.pk}")
            if not form.is_valid():
                raise services.PublicationRefused("Choose whether to approve or withhold it.")
            services.text_moderation_decide(
                moderation=moderation,
                decision=ModerationDecision(form.cleaned_data["decision"]),
                by=by,
                note=form.cleaned_data["note"],
            )
        elif action == "redact":
            moderation = _moderation_of(response, data.get("moderation"))
            redaction = RedactionForm(data, prefix=f"r{moderation.pk}")
            if not redaction.is_valid():
                errors = [e for field in redaction.errors.values() for e in field]
                raise services.RedactionRefused(errors[0])
            cleaned = redaction.cleaned_data
            reason = RedactionReason(cleaned["reason"])
            if cleaned["start"] is not None and cleaned["end"] is not None:
                services.redaction_add(
                    moderation=moderation,
                    start=cleaned["start"],
                    end=cleaned["end"],
                    reason=reason,
                    by=by,
                    note=cleaned["note"],
                )
            else:
                services.redaction_add_passage(
                    moderation=moderation,
                    passage=cleaned["passage"],
                    reason=reason,
                    by=by,
                    note=cleaned["note"],
                )
        elif action == "unredact":
            redaction_id = data.get("redaction", "")
            found = Redaction.objects.filter(
                moderation__response=response,
                pk=int(redaction_id) if redaction_id.isdigit() else 0,
            ).first()
            if found is None:
                raise Http404("No such redaction")
            services.redaction_remove(redaction=found, by=by, note=data.get("note", ""))
        elif action == "publish":
            services.response_publish(response=response, by=by)
            messages.success(request, f"Response {response.reference} has been published.")
        elif action == "withdraw":
            services.response_publication_withdraw(
                response=response, by=by, reason=data.get("reason", "")
            )
            messages.success(request, f"Response {response.reference} has been withdrawn.")
        else:
            raise Http404("No such action")
    except MootError as error:
        messages.error(request, str(error))
    return redirect("consultations:staff_response_moderation", slug=slug, response_id=response.pk)
