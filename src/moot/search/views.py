from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from moot.consultations.selectors import consultations_published
from moot.parliament.models import WrittenQuestion


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    questions: list[WrittenQuestion] = []
    consultations = []
    if query:
        questions = list(
            WrittenQuestion.objects.filter(Q(heading__icontains=query) | Q(text__icontains=query))
            .select_related("department")
            .order_by("-date")[:50]
        )
        consultations = list(
            consultations_published().filter(
                Q(title__icontains=query) | Q(summary__icontains=query)
            )[:50]
        )
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "questions": questions,
            "consultations": consultations,
            "nav_section": "search",
        },
    )
