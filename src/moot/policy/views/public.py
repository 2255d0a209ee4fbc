"""The policy thread page of a document or consultation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from moot.policy.threads import policy_thread, thread_subject


def _thread(request: HttpRequest, *, kind: str, slug: str) -> HttpResponse:
    thread = policy_thread(subject=thread_subject(kind=kind, slug=slug))
    return render(
        request,
        "policy/thread.html",
        {
            "thread": thread,
            "kind": kind,
            "alert_policy": f"{kind}:{slug}",
            "nav_section": "consultations",
        },
    )


def document_thread(request: HttpRequest, slug: str) -> HttpResponse:
    return _thread(request, kind="document", slug=slug)


def consultation_thread(request: HttpRequest, slug: str) -> HttpResponse:
    return _thread(request, kind="consultation", slug=slug)
