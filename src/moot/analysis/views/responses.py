"""Campaigns (template, variants, members) and one response as the analysis sees it, with
the analyst's hand-coding of its themes and stance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from moot.analysis.forms import CampaignNameForm, CodingForm
from moot.analysis.models import ChangeKind
from moot.analysis.selectors.responses import (
    campaign_members,
    campaign_summary,
    campaigns_of_run,
    response_analysis,
)
from moot.analysis.services import changes
from moot.analysis.services.campaigns import campaign_name_set
from moot.analysis.views.common import analysis_for, analysis_view, audit_text_shown, staff_user
from moot.consultations.selectors.responses import response_for_staff
from moot.core.audit import audit_record
from moot.core.errors import MootError
from moot.core.models import AuditAction

PAGE_SIZE = 25
MEMBER_FILTERS = {"": "All members", "edited": "Edited copies", "additions": "With additions"}


@analysis_view
def analysis_campaigns(request: HttpRequest, slug: str) -> HttpResponse:
    analysis = analysis_for(request, slug)
    report = {**analysis.run.summary["campaigns"], "campaigns": campaigns_of_run(run=analysis.run)}
    questions = {q["ref"]: q for q in analysis.run.summary["questions"]}
    context = {
        "consultation": analysis.consultation,
        "run": analysis.run,
        "report": report,
        "questions": questions,
        "crumbs": analysis.crumbs(("Campaigns", None)),
        "analysis_section": "campaigns",
    }
    audit_text_shown(
        request,
        analysis.consultation,
        [int(c["template_response_id"]) for c in report["campaigns"]],
        "campaigns",
    )
    return render(request, "analysis/campaigns.html", context)


@analysis_view
def analysis_campaign(request: HttpRequest, slug: str, campaign_key: str) -> HttpResponse:
    analysis = analysis_for(request, slug)
    campaign = campaign_summary(run=analysis.run, campaign_key=campaign_key)
    name_form = CampaignNameForm(
        request.POST or None, initial={"name": campaign["label"]}, prefix="campaign"
    )
    if request.method == "POST" and name_form.is_valid():
        try:
            campaign_name_set(
                consultation=analysis.consultation,
                run=analysis.run,
                campaign_key=campaign_key,
                name=name_form.cleaned_data["name"],
                by=staff_user(request),
            )
        except MootError as error:
            name_form.add_error("name", str(error))
        else:
            messages.success(request, "The campaign’s name is saved.")
            return redirect("analysis:campaign", slug, campaign_key)
    show = request.GET.get("show", "")
    if show not in MEMBER_FILTERS:
        show = ""
    members = campaign_members(run=analysis.run, campaign_key=campaign_key, show=show)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    questions = {q["ref"]: q for q in analysis.run.summary["questions"]}
    templates = [(questions.get(ref), text) for ref, text in campaign["template_texts"].items()]
    audit_text_shown(
        request,
        analysis.consultation,
        [int(campaign["template_response_id"]), *(m.response_id for m in page)],
        "campaign",
    )
    context = {
        "consultation": analysis.consultation,
        "campaign": campaign,
        "name_form": name_form,
        "templates": templates,
        "questions": questions,
        "page_obj": page,
        "show": show,
        "filters": MEMBER_FILTERS,
        "total": analysis.run.summary["response_count"],
        "analysis_section": "campaigns",
        "crumbs": analysis.crumbs(
            ("Campaigns", reverse("analysis:campaigns", args=[slug])),
            (campaign["label"], None),
        ),
    }
    status = 400 if name_form.errors else 200
    return render(request, "analysis/campaign.html", context, status=status)


def _coding_forms(analysis: Any, details: Any, data: Any = None, only: str = "") -> list[Any]:
    """A coding form per answered free-text question, showing the analyst's own coding
    where there is one not yet run, and the run's themes and stance otherwise."""
    coded: dict[tuple[str, str], Any] = {}
    for change in analysis.pending:
        if change.response_id == details.response_id:
            coded[(change.kind, change.question_ref)] = change
    forms = []
    for question in details.questions:
        ref = question["info"]["ref"]
        if not question["answer"] or (only and ref != only):
            continue
        initial: dict[str, Any] = {"theme_ids": [a["theme"].id for a in question["assigned"]]}
        if question["stance"] is not None:
            initial["stance"] = question["stance"].stance
        if (ChangeKind.CODE_THEMES, ref) in coded:
            question["coded"] = coded[(ChangeKind.CODE_THEMES, ref)]
            initial["theme_ids"] = question["coded"].payload["theme_ids"]
        if (ChangeKind.CODE_STANCE, ref) in coded:
            initial["stance"] = coded[(ChangeKind.CODE_STANCE, ref)].payload["stance"]
        if question.get("evidence_known"):
            initial["evidence"] = "yes" if question["evidence"] is not None else "no"
        if (ChangeKind.CODE_EVIDENCE, ref) in coded:
            flag = coded[(ChangeKind.CODE_EVIDENCE, ref)].payload["has_evidence"]
            initial["evidence"] = "yes" if flag else "no"
        form = CodingForm(
            data if ref == only else None,
            prefix=f"code-{ref}",
            initial=initial,
            themes=question["themes"],
            with_stance=question["info"]["asks_agreement"],
        )
        question["form"] = form
        forms.append(form)
    return forms


@analysis_view
def analysis_response(request: HttpRequest, slug: str, response_id: int) -> HttpResponse:
    analysis = analysis_for(request, slug)
    response = response_for_staff(
        user=request.user, consultation=analysis.consultation, response_id=response_id
    )
    details = response_analysis(run=analysis.run, response=response, pending=analysis.pending)
    _coding_forms(analysis, details)
    audit_record(
        request=request,
        action=AuditAction.VIEW_RESPONSE,
        consultation_slug=slug,
        record_ids=[response.pk],
        detail={"page": "analysis"},
    )
    return render(request, "analysis/response.html", _response_context(analysis, response, details))


def _response_context(analysis: Any, response: Any, details: Any) -> dict[str, Any]:
    return {
        "consultation": analysis.consultation,
        "run": analysis.run,
        "response": response,
        "details": details,
        "crumbs": analysis.crumbs((f"Response {response.reference}", None)),
    }


@analysis_view
@require_POST
def analysis_response_code(
    request: HttpRequest, slug: str, response_id: int, ref: str
) -> HttpResponse:
    """Save the analyst's coding of one answer: its themes, and its stance where asked."""
    analysis = analysis_for(request, slug)
    response = response_for_staff(
        user=request.user, consultation=analysis.consultation, response_id=response_id
    )
    details = response_analysis(run=analysis.run, response=response, pending=analysis.pending)
    forms = _coding_forms(analysis, details, request.POST, only=ref)
    if not forms:
        raise Http404("This response has no answer to that question")
    form = forms[0]
    if form.is_valid():
        try:
            changes.response_code_themes(
                consultation=analysis.consultation,
                response=response,
                question_ref=ref,
                theme_ids=form.cleaned_data["theme_ids"],
                by=staff_user(request),
            )
            if form.cleaned_data.get("stance"):
                changes.response_code_stance(
                    consultation=analysis.consultation,
                    response=response,
                    question_ref=ref,
                    stance=form.cleaned_data["stance"],
                    by=staff_user(request),
                )
            if form.cleaned_data.get("evidence"):
                changes.response_code_evidence(
                    consultation=analysis.consultation,
                    response=response,
                    question_ref=ref,
                    has_evidence=form.cleaned_data["evidence"] == "yes",
                    by=staff_user(request),
                )
        except MootError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Your coding of {response.reference} has been saved. The next run learns from it.",
            )
            return redirect("analysis:response", slug=slug, response_id=response.pk)
    context = _response_context(analysis, response, details)
    return render(request, "analysis/response.html", context, status=400)
