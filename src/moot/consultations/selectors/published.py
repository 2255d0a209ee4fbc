"""The public page of published responses: a page at a time, searched and narrowed to one
question or, where an analysis has been published, to one theme."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from moot.consultations.models import (
    Consultation,
    Question,
    Response,
)
from moot.consultations.selectors.exports import Export
from moot.consultations.selectors.moderation import (
    published_export,
    published_matching,
    responses_published,
)

PUBLISHED_PAGE_SIZE = 20

# (value, label) choices of themes to narrow to, and the ids of the responses given a theme.
# consultations must not import analysis, so the analysis registers these in its ready().
ThemeChoices = Callable[[Consultation], list[tuple[str, str]]]
ThemeResponses = Callable[[Consultation, str], QuerySet[Any]]


@dataclass
class _ThemeSource:
    choices: ThemeChoices | None = None
    responses: ThemeResponses | None = None


_theme_source = _ThemeSource()


def published_theme_source_register(*, choices: ThemeChoices, responses: ThemeResponses) -> None:
    _theme_source.choices = choices
    _theme_source.responses = responses


def published_theme_choices(*, consultation: Consultation) -> list[tuple[str, str]]:
    if _theme_source.choices is None:
        return []
    return _theme_source.choices(consultation)


@dataclass(kw_only=True)
class PublishedResponses:
    page_obj: Page
    export: Export
    total: int
    question: Question | None


def published_responses_page(
    *,
    consultation: Consultation,
    text: str = "",
    question: Question | None = None,
    theme: str = "",
    page_number: str | int | None = None,
) -> PublishedResponses:
    """One page of the published responses, oldest first: their approved, redacted texts only
    (``selectors.moderation``). ``text`` matches that published text only (answers, letters,
    the reference, and a name only where its sender chose to be named); ``question`` keeps
    responses with a published answer to it and shows that answer alone; ``theme`` keeps those
    the published analysis gave that theme."""
    responses = responses_published(consultation=consultation)
    if question is not None:
        responses = responses.filter(publication__texts__question=question)
    if text:
        responses = responses.filter(
            published_matching(consultation=consultation, text=text, question=question)
        )
    if theme and _theme_source.responses is not None:
        responses = responses.filter(pk__in=_theme_source.responses(consultation, theme))
    ids = responses.values_list("pk", flat=True).distinct().order_by("received_at", "id")
    page = Paginator(ids, PUBLISHED_PAGE_SIZE).get_page(page_number)
    export = published_export(
        consultation=consultation,
        responses=Response.objects.filter(pk__in=list(page.object_list)),
    )
    questions = export.questions if question is None else [question]
    return PublishedResponses(
        page_obj=page,
        export=Export(
            export.consultation, export.columns, export.multi_columns, questions, export.rows
        ),
        total=page.paginator.count,
        question=question,
    )
