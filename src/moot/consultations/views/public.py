from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from moot.consultations import selectors
from moot.consultations.forms import ConsultationFilterForm
from moot.consultations.forms.published import PublishedResponsesFilterForm
from moot.consultations.models import Attachment
from moot.consultations.selectors.published import published_responses_page
from moot.consultations.selectors.responses import response_summary_published


def consultation_list(request: HttpRequest) -> HttpResponse:
    form = ConsultationFilterForm(request.GET or None)
    consultations = selectors.consultation_list(
        status=form.selected_status, department=form.selected_department
    )
    page = Paginator(consultations, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/list.html",
        {"form": form, "page_obj": page, "nav_section": "consultations"},
    )


def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_for_page(slug=slug)
    overdue = selectors.consultation_response_overdue(consultation=consultation, now=timezone.now())
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "response_overdue": overdue,
            "response_due": selectors.consultation_response_due(consultation=consultation),
            "response_weeks": selectors.RESPONSE_WEEKS,
            "nav_section": "consultations",
        },
    )


def _download(attachment: Attachment) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=(attachment.file.name or "attachment").rsplit("/", 1)[-1],
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def consultation_attachment(request: HttpRequest, slug: str, attachment_id: int) -> FileResponse:
    return _download(selectors.consultation_attachment(slug=slug, attachment_id=attachment_id))


def document_detail(request: HttpRequest, slug: str) -> HttpResponse:
    document = selectors.document_for_page(slug=slug)
    return render(
        request,
        "consultations/document.html",
        {
            "document": document,
            "relations": selectors.document_relations(document=document),
            "nav_section": "consultations",
        },
    )


def document_attachment(request: HttpRequest, slug: str, attachment_id: int) -> FileResponse:
    return _download(selectors.document_attachment(slug=slug, attachment_id=attachment_id))


def consultation_summary(request: HttpRequest, slug: str) -> HttpResponse:
    summary = response_summary_published(slug=slug)
    context = {
        "summary": summary,
        "consultation": summary.consultation,
        "nav_section": "consultations",
    }
    return render(request, "consultations/summary.html", context)


def consultation_published_responses(request: HttpRequest, slug: str) -> HttpResponse:
    """The responses the department may publish, once the outcome is out."""
    consultation = selectors.consultation_for_page(slug=slug)
    if consultation.outcome_published_at is None:
        raise Http404("The responses have not been published")
    form = PublishedResponsesFilterForm(request.GET or None, consultation=consultation)
    filters = form.cleaned_data if form.is_valid() else {}
    published = published_responses_page(
        consultation=consultation,
        text=filters.get("q", ""),
        question=filters.get("question"),
        theme=filters.get("theme", ""),
        page_number=request.GET.get("page"),
    )
    context = {
        "consultation": consultation,
        "form": form,
        "published": published,
        "export": published.export,
        "page_obj": published.page_obj,
        "nav_section": "consultations",
    }
    return render(request, "consultations/published_responses.html", context)
