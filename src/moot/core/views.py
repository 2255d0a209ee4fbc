from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from moot.consultations.selectors import consultations_open
from moot.parliament.selectors import questions_recently_answered


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "open_consultations": consultations_open()[:6],
            "recent_questions": questions_recently_answered(limit=8),
        },
    )


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")
