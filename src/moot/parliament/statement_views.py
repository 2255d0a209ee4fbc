"""The written-statement pages: the list, each day, each statement, and old ids."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from moot.core.pagecache import shared_page_cache
from moot.parliament import selectors
from moot.parliament.views import _parse_date


def _crumbs(*middle: tuple[str, str]) -> list[tuple[str, str | None]]:
    return [
        ("Home", reverse("core:home")),
        ("Written statements", reverse("parliament:statements")),
        *middle,
    ]


def statements_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "parliament/statements_index.html",
        {
            "statements": selectors.statements_recent(limit=20),
            "days": selectors.statement_days(),
            "nav_section": "parliament",
        },
    )


def statement_day(request: HttpRequest, date: str) -> HttpResponse:
    day = selectors.statement_day(date=_parse_date(date))
    if not day.statements:
        raise Http404("No written statements on this day")
    return render(
        request,
        "parliament/statements_day.html",
        {"day": day, "crumbs": _crumbs(), "nav_section": "parliament"},
    )


@shared_page_cache
def statement_detail(request: HttpRequest, date: str, identifier: str) -> HttpResponse:
    day = _parse_date(date)
    try:
        statement = selectors.statement_for_page(date=day, identifier=identifier)
    except Http404:
        target = selectors.statement_permalink_redirect(date=day, identifier=identifier)
        if target is None:
            raise
        return HttpResponseRedirect(target, status=301)
    return render(
        request,
        "parliament/statement.html",
        {
            "statement": statement,
            "page": selectors.statement_page(statement=statement),
            "crumbs": _crumbs((f"{statement.date:%-d %B %Y}", _day_url(statement.date))),
            "nav_section": "parliament",
        },
    )


def _day_url(date: object) -> str:
    return reverse("parliament:statement_day", kwargs={"date": str(date)})


def statement_source_redirect(request: HttpRequest, source_id: str) -> HttpResponse:
    target = selectors.statement_source_redirect(source_id=source_id)
    if target is None:
        raise Http404("No statement has that id")
    return HttpResponseRedirect(target, status=301)
