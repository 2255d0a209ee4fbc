"""A question's analysis: tallies and charts, or themes, the review queue, and the analyst's
theme edits (rename, merge, split, delete, add)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from moot.analysis.forms import AddThemeForm, MergeForm, RenameForm, SplitForm
from moot.analysis.selectors.pages import (
    DIMENSION_LABELS,
    closed_question,
    free_question,
    question_info,
)
from moot.analysis.selectors.responses import (
    Excerpt,
    coded_response_ids,
    evidence_response_ids,
    evidence_rows,
    excerpts,
    theme_members,
)
from moot.analysis.selectors.themes import question_summary, themes_effective
from moot.analysis.services import changes
from moot.analysis.views.common import (
    Analysis,
    analysis_for,
    analysis_view,
    audit_text_shown,
    staff_user,
)
from moot.core.errors import MootError

PAGE_SIZE = 25


def _question_url(slug: str, ref: str) -> str:
    return reverse("analysis:question", args=[slug, ref])


def _crumbs(analysis: Analysis, info: dict[str, Any], *more: tuple[str, str | None]) -> Any:
    url = _question_url(analysis.consultation.slug, info["ref"])
    return analysis.crumbs((f"Question {info['position']}", url if more else None), *more)


@analysis_view
def analysis_question(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    analysis = analysis_for(request, slug)
    info = question_info(run=analysis.run, question_ref=ref)
    context: dict[str, Any] = {
        "consultation": analysis.consultation,
        "run": analysis.run,
        "info": info,
        "crumbs": _crumbs(analysis, info),
        "analysis_section": "overview",
    }
    if ref in analysis.run.summary["closed_questions"]:
        dimension = request.GET.get("by", "respondent_type")
        if dimension not in DIMENSION_LABELS:
            dimension = "respondent_type"
        context["closed"] = closed_question(run=analysis.run, question_ref=ref, dimension=dimension)
        context["dimensions"] = DIMENSION_LABELS
        return render(request, "analysis/question_closed.html", context)
    page = free_question(run=analysis.run, question_ref=ref, pending=analysis.pending)
    shown = [e.response_id for e in page.to_code]
    shown += [int(q["response_id"]) for t in page.themes for q in t.quotes]
    audit_text_shown(request, analysis.consultation, shown, "question")
    context["free"] = page
    return render(request, "analysis/question_free.html", context)


@analysis_view
def analysis_review(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    """The answers whose themes the engine is least sure of, most uncertain first."""
    analysis = analysis_for(request, slug)
    info = question_info(run=analysis.run, question_ref=ref)
    summary = question_summary(run=analysis.run, question_ref=ref)
    if summary is None:
        raise Http404("No review queue for this question")
    evidence_only = request.GET.get("evidence") == "1"
    queue = summary["review_queue"]
    if evidence_only:
        with_evidence = set(evidence_response_ids(run=analysis.run, question_ref=ref))
        queue = [item for item in queue if int(item["response_id"]) in with_evidence]
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    coded = coded_response_ids(run=analysis.run, question_ref=ref)
    items = _with_evidence(
        analysis,
        ref,
        excerpts(
            items=[{**item, "coded": int(item["response_id"]) in coded} for item in page],
            question_ref=ref,
        ),
    )
    audit_text_shown(request, analysis.consultation, [i.response_id for i in items], "review")
    context = {
        "consultation": analysis.consultation,
        "info": info,
        "summary": summary,
        "page_obj": page,
        "items": items,
        "evidence_only": evidence_only,
        "evidence_summary": summary.get("evidence"),
        "crumbs": _crumbs(analysis, info, ("Review queue", None)),
    }
    return render(request, "analysis/review.html", context)


def _with_evidence(analysis: Analysis, ref: str, items: list[Excerpt]) -> list[Excerpt]:
    """The excerpts, each with the kinds of evidence its answer brings (if any)."""
    rows = evidence_rows(
        run=analysis.run, question_ref=ref, response_ids=[i.response_id for i in items]
    )
    for item in items:
        row = rows.get(item.response_id)
        item.extra["evidence"] = None if row is None else row.kind_labels
    return items


def _theme_or_404(analysis: Analysis, ref: str, theme_key: str) -> Any:
    themes = themes_effective(run=analysis.run, question_ref=ref, pending=analysis.pending)
    theme = next((t for t in themes if t.id == theme_key), None)
    if theme is None:
        raise Http404("No such theme")
    return theme, themes


@analysis_view
def analysis_theme(request: HttpRequest, slug: str, ref: str, theme_key: str) -> HttpResponse:
    analysis = analysis_for(request, slug)
    info = question_info(run=analysis.run, question_ref=ref)
    theme, _ = _theme_or_404(analysis, ref, theme_key)
    evidence_only = request.GET.get("evidence") == "1"
    members = theme_members(
        run=analysis.run, question_ref=ref, theme_key=theme.id, evidence_only=evidence_only
    )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    items = excerpts(
        items=[
            {
                "response_id": r.response_id,
                "confidence": r.confidence,
                "source": r.get_source_display(),
            }
            for r in rows
        ],
        question_ref=ref,
    )
    items = _with_evidence(analysis, ref, items)
    audit_text_shown(request, analysis.consultation, [i.response_id for i in items], "theme")
    context = {
        "consultation": analysis.consultation,
        "info": info,
        "theme": theme,
        "page_obj": page,
        "items": items,
        "evidence_only": evidence_only,
        "evidence_summary": (question_summary(run=analysis.run, question_ref=ref) or {}).get(
            "evidence"
        ),
        "crumbs": _crumbs(analysis, info, (theme.label, None)),
    }
    return render(request, "analysis/theme.html", context)


def _theme_change(
    request: HttpRequest,
    slug: str,
    ref: str,
    theme_key: str | None,
    *,
    form_class: Callable[..., forms.Form],
    template: str,
    save: Callable[[Analysis, Any, forms.Form], object],
    done: str,
    initial: Callable[[Any], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A page with a form making one theme edit; on success, back to the question."""
    analysis = analysis_for(request, slug)
    info = question_info(run=analysis.run, question_ref=ref)
    if question_summary(run=analysis.run, question_ref=ref) is None:
        raise Http404("This question has no themes")
    theme, themes = _theme_or_404(analysis, ref, theme_key) if theme_key else (None, None)
    if themes is None:
        themes = themes_effective(run=analysis.run, question_ref=ref, pending=analysis.pending)
    kwargs: dict[str, Any] = {"themes": themes} if form_class is MergeForm else {}
    data = request.POST if request.method == "POST" else None
    form = form_class(data, initial=initial(theme) if initial else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(analysis, theme, form)
        except MootError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"{done} The change takes effect when you run the analysis again."
            )
            return redirect(_question_url(slug, ref))
    context = {
        "consultation": analysis.consultation,
        "info": info,
        "theme": theme,
        "themes": themes,
        "form": form,
        "crumbs": _crumbs(analysis, info, ("Change the themes", None)),
    }
    return render(request, template, context, status=400 if form.errors else 200)


@analysis_view
def analysis_theme_rename(
    request: HttpRequest, slug: str, ref: str, theme_key: str
) -> HttpResponse:
    def save(analysis: Analysis, theme: Any, form: forms.Form) -> object:
        return changes.theme_rename(
            consultation=analysis.consultation,
            question_ref=ref,
            theme_id=theme.id,
            label=form.cleaned_data["label"],
            description=form.cleaned_data["description"],
            by=staff_user(request),
        )

    return _theme_change(
        request,
        slug,
        ref,
        theme_key,
        form_class=RenameForm,
        template="analysis/theme_rename.html",
        save=save,
        done="The theme has been renamed.",
        initial=lambda theme: {"label": theme.label, "description": theme.description},
    )


@analysis_view
def analysis_theme_split(request: HttpRequest, slug: str, ref: str, theme_key: str) -> HttpResponse:
    def save(analysis: Analysis, theme: Any, form: forms.Form) -> object:
        assert isinstance(form, SplitForm)  # noqa: S101 - the form class given below
        return changes.theme_split(
            consultation=analysis.consultation,
            question_ref=ref,
            theme_id=theme.id,
            into=form.parts(),
            by=staff_user(request),
        )

    return _theme_change(
        request,
        slug,
        ref,
        theme_key,
        form_class=SplitForm,
        template="analysis/theme_split.html",
        save=save,
        done="The theme has been split.",
    )


@analysis_view
def analysis_theme_delete(
    request: HttpRequest, slug: str, ref: str, theme_key: str
) -> HttpResponse:
    def save(analysis: Analysis, theme: Any, form: forms.Form) -> object:
        return changes.theme_delete(
            consultation=analysis.consultation,
            question_ref=ref,
            theme_id=theme.id,
            by=staff_user(request),
        )

    return _theme_change(
        request,
        slug,
        ref,
        theme_key,
        form_class=forms.Form,
        template="analysis/theme_delete.html",
        save=save,
        done="The theme has been deleted.",
    )


@analysis_view
def analysis_themes_merge(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    def save(analysis: Analysis, theme: Any, form: forms.Form) -> object:
        return changes.themes_merge(
            consultation=analysis.consultation,
            question_ref=ref,
            theme_ids=form.cleaned_data["theme_ids"],
            label=form.cleaned_data["label"],
            by=staff_user(request),
        )

    return _theme_change(
        request,
        slug,
        ref,
        None,
        form_class=MergeForm,
        template="analysis/themes_merge.html",
        save=save,
        done="The themes have been merged.",
    )


@analysis_view
def analysis_theme_add(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    def save(analysis: Analysis, theme: Any, form: forms.Form) -> object:
        assert isinstance(form, AddThemeForm)  # noqa: S101 - the form class given below
        return changes.theme_add(
            consultation=analysis.consultation,
            question_ref=ref,
            theme=form.theme(),
            by=staff_user(request),
        )

    return _theme_change(
        request,
        slug,
        ref,
        None,
        form_class=AddThemeForm,
        template="analysis/theme_add.html",
        save=save,
        done="The theme has been added.",
    )
