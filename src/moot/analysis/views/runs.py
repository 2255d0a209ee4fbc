"""The analysis overview, and runs: start one, follow its progress, see the history."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from moot.analysis.selectors.inputs import counted_responses
from moot.analysis.selectors.pages import overview
from moot.analysis.selectors.runs import (
    active_run,
    last_attempt,
    latest_run,
    result_bytes,
    run_for_consultation,
    runs_for_consultation,
)
from moot.analysis.selectors.themes import pending_changes
from moot.analysis.services.runs import analysis_run_cancel, analysis_run_start
from moot.analysis.views.common import (
    analysis_crumbs,
    analysis_view,
    consultation_for_analysis,
    staff_user,
)
from moot.core.audit import audit_record
from moot.core.errors import MootError
from moot.core.models import AuditAction

# The run page reloads itself while a run is in progress (no JavaScript needed).
REFRESH_SECONDS = 3


@analysis_view
def analysis_overview(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_analysis(request, slug)
    run = latest_run(consultation=consultation)
    counted = counted_responses(consultation=consultation).count()
    context = {
        "consultation": consultation,
        "run": run,
        "counted": counted,
        "new_responses": max(0, counted - run.response_count) if run else 0,
        "facts": overview(run=run) if run else None,
        "active": active_run(consultation=consultation),
        "attempt": last_attempt(consultation=consultation),
        "pending_count": pending_changes(consultation=consultation, run=run).count(),
        "crumbs": analysis_crumbs(consultation),
        "analysis_section": "overview",
    }
    return render(request, "analysis/overview.html", context)


@analysis_view
@require_POST
def analysis_run_create(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_analysis(request, slug)
    try:
        run = analysis_run_start(consultation=consultation, by=staff_user(request))
    except MootError as error:
        messages.error(request, str(error))
        return redirect("analysis:overview", slug=slug)
    return redirect(run.get_absolute_url())


@analysis_view
def analysis_runs(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_analysis(request, slug)
    page = Paginator(runs_for_consultation(consultation=consultation), 25).get_page(
        request.GET.get("page")
    )
    context = {
        "consultation": consultation,
        "page_obj": page,
        "crumbs": analysis_crumbs(consultation, ("Runs", None)),
        "analysis_section": "runs",
    }
    return render(request, "analysis/runs.html", context)


@analysis_view
def analysis_run(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    consultation = consultation_for_analysis(request, slug)
    run = run_for_consultation(consultation=consultation, number=number)
    context = {
        "consultation": consultation,
        "run": run,
        "refresh": REFRESH_SECONDS if run.is_active else None,
        "crumbs": analysis_crumbs(consultation, (f"Run {run.number}", None)),
        "analysis_section": "runs",
    }
    return render(request, "analysis/run.html", context)


@analysis_view
@require_POST
def analysis_run_stop(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    consultation = consultation_for_analysis(request, slug)
    run = run_for_consultation(consultation=consultation, number=number)
    analysis_run_cancel(run=run, by=staff_user(request))
    messages.success(request, f"Run {run.number} has been stopped.")
    return redirect(run.get_absolute_url())


@analysis_view
def analysis_run_result(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The engine's whole result (every response's themes and campaign) as gzipped JSON."""
    consultation = consultation_for_analysis(request, slug)
    run = run_for_consultation(consultation=consultation, number=number)
    if not run.result_file:
        messages.error(request, "This run has no result to download.")
        return redirect(run.get_absolute_url())
    audit_record(
        request=request,
        action=AuditAction.EXPORT_RESPONSES,
        consultation_slug=slug,
        detail={"analysis_run": run.number, "format": "json.gz"},
    )
    download = HttpResponse(result_bytes(run=run), content_type="application/gzip")
    download["Content-Disposition"] = (
        f'attachment; filename="{slug}-analysis-run-{run.number}.json.gz"'
    )
    download["Cache-Control"] = "no-store"
    return download
