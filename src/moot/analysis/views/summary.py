"""The history of the analyst's changes, publishing the summary of responses, and the
summary's downloads (PDF, CSV, XLSX) for staff and, once published, for everyone."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from moot.analysis.forms import PublishForm
from moot.analysis.models import AnalystChange, RunStatus
from moot.analysis.reports.markdown import summary_markdown
from moot.analysis.reports.pdf import summary_pdf
from moot.analysis.reports.tables import figures_csv, figures_xlsx
from moot.analysis.selectors.report import summary_figures
from moot.analysis.selectors.runs import runs_for_consultation
from moot.analysis.services.summary import analysis_summary_generate, analysis_summary_publish
from moot.analysis.views.common import (
    analysis_crumbs,
    analysis_for,
    analysis_view,
    consultation_for_analysis,
    staff_user,
)
from moot.consultations.models import ResponseSummary
from moot.consultations.selectors.consultations import final_document_current
from moot.consultations.selectors.responses import response_summary_published
from moot.core.errors import MootError
from moot.core.permissions import Capability, user_can

CHANGES_PAGE_SIZE = 50
PDF_CACHE_SECONDS = 3600


@analysis_view
def analysis_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """Every change analysts made (who, what, when) and the run that took it in."""
    consultation = consultation_for_analysis(request, slug)
    changes = (
        AnalystChange.objects.filter(consultation=consultation)
        .select_related("response")
        .order_by("-id")
    )
    page = Paginator(changes, CHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    runs = list(
        runs_for_consultation(consultation=consultation)
        .filter(status=RunStatus.SUCCEEDED)
        .values_list("number", "included_change_id")
    )
    rows = [
        (change, min((n for n, last in runs if last >= change.pk), default=None)) for change in page
    ]
    context = {
        "consultation": consultation,
        "page_obj": page,
        "rows": rows,
        "crumbs": analysis_crumbs(consultation, ("Changes", None)),
        "analysis_section": "changes",
    }
    return render(request, "analysis/changes.html", context)


@analysis_view
def analysis_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Preview the summary the latest run gives, and publish it (with the outcome, if that
    is not out yet) or save it as a draft for staff to edit."""
    analysis = analysis_for(request, slug)
    consultation = analysis.consultation
    published = consultation.outcome_published_at is not None
    has_final = final_document_current(consultation=consultation) is not None
    can_publish = published or user_can(
        user=request.user, capability=Capability.CONTENT, department_id=consultation.department_id
    )
    form = PublishForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "draft" or not can_publish:
                analysis_summary_generate(run=analysis.run, by=staff_user(request))
                messages.success(request, "The summary of responses has been saved as a draft.")
                return redirect("consultations:staff_summary", slug=slug)
            upload = form.cleaned_data["final_document"]
            analysis_summary_publish(
                run=analysis.run,
                by=staff_user(request),
                final_document_title=form.cleaned_data["final_document_title"],
                final_document_data=upload.read() if upload else None,
            )
        except MootError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The summary of responses has been published.")
            return redirect("consultations:summary", slug=slug)
    figures = summary_figures(run=analysis.run)
    context = {
        "consultation": consultation,
        "run": analysis.run,
        "form": form,
        "published": published,
        "has_final": has_final,
        "can_publish": can_publish,
        "pending_count": len(analysis.pending),
        "saved": ResponseSummary.objects.filter(consultation=consultation).first(),
        "preview": summary_markdown(figures=figures),
        "crumbs": analysis.crumbs(("Summary of responses", None)),
        "analysis_section": "summary",
    }
    return render(request, "analysis/publish.html", context, status=400 if form.errors else 200)


def _pdf(summary: ResponseSummary) -> bytes:
    consultation = summary.consultation
    key = (
        "analysis-summary-pdf:"
        + hashlib.sha256(
            f"{summary.pk}:{summary.updated_at.isoformat()}:{summary.title}".encode()
        ).hexdigest()
    )
    cached = cache.get(key)
    if cached is None:
        when = timezone.localtime(summary.published_at or summary.updated_at)
        cached = summary_pdf(
            title=summary.title,
            consultation_title=consultation.title,
            byline=f"{consultation.department.name}, {when:%-d %B %Y}",
            body=summary.body,
        )
        cache.set(key, cached, PDF_CACHE_SECONDS)
    return cached


DOWNLOADS: dict[str, tuple[str, Callable[[ResponseSummary], bytes]]] = {
    "pdf": ("application/pdf", _pdf),
    "csv": ("text/csv; charset=utf-8", lambda s: figures_csv(figures=s.figures)),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda s: figures_xlsx(figures=s.figures),
    ),
}


def _download(summary: ResponseSummary, fmt: str, *, cache_control: str) -> HttpResponse:
    if fmt not in DOWNLOADS or (fmt != "pdf" and not summary.figures.get("questions")):
        raise Http404("No such download")
    content_type, build = DOWNLOADS[fmt]
    name = "summary-of-responses" if fmt == "pdf" else "summary-of-responses-figures"
    response = HttpResponse(build(summary), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{summary.consultation.slug}-{name}.{fmt}"'
    )
    response["Cache-Control"] = cache_control
    return response


def summary_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The published summary of responses as PDF, or its figures as CSV or XLSX."""
    summary = response_summary_published(slug=slug)
    return _download(summary, fmt, cache_control="public, max-age=300")


@analysis_view
def analysis_summary_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The saved summary (published or not), for staff to check before publishing."""
    consultation = consultation_for_analysis(request, slug)
    summary = (
        ResponseSummary.objects.select_related("consultation__department")
        .filter(consultation=consultation)
        .first()
    )
    if summary is None:
        raise Http404("There is no summary of responses yet")
    return _download(summary, fmt, cache_control="no-store")
