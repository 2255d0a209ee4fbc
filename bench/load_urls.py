"""moot's URLs plus two views for ``bench/load.py``: the baseline (the least a Django view can
answer) and a what-if (a question page's bytes served from a cache)."""

from __future__ import annotations

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from moot.parliament.views import question_detail


def minimal(request: HttpRequest) -> HttpResponse:
    """A tiny response through the same server, settings and middleware as every moot page."""
    return HttpResponse("ok", content_type="text/plain")


def cached_question(request: HttpRequest, date: str, identifier: str) -> HttpResponse:
    """The question page as a page cache would serve it: moot renders it once, then every
    request gets a copy of those bytes from a cache shared by the server's processes. Not a
    moot page (the copy carries one reader's vote form and tallies): it shows what the page's
    own work costs, beside the same bytes with none."""
    pages = caches["bench-pages"]
    key = f"question:{date}/{identifier}"
    content = pages.get(key)
    if content is None:
        content = question_detail(request, date=date, identifier=identifier).content
        pages.set(key, content)
    return HttpResponse(content)


urlpatterns = [
    path("bench/minimal/", minimal),
    path("bench/cached/written-questions/<str:date>/<slug:identifier>/", cached_question),
    path("", include("moot.urls")),
]
