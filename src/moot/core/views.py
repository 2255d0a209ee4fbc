from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from moot.consultations.selectors import consultations_open
from moot.parliament.selectors import questions_recently_answered
from moot.parliament.selectors.written_answers import questions_answered_newest_first

# The home page shows the first few; the list it links to pages through every one.
HOME_RECENT = 8
RECENT_PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "open_consultations": consultations_open()[:6],
            "recent_questions": questions_recently_answered(limit=HOME_RECENT),
        },
    )


def recently_answered(request: HttpRequest) -> HttpResponse:
    """Every answered written question, newest first, 20 to a page."""
    page = Paginator(questions_answered_newest_first(), RECENT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "core/recently_answered.html",
        {
            "page_obj": page,
            "crumbs": [
                ("Home", reverse("core:home")),
                ("Written questions", reverse("parliament:index")),
                ("Recently answered", None),
            ],
            "nav_section": "parliament",
        },
    )


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")
