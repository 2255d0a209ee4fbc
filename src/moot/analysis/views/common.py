"""What every analysis staff page does first: the one access check, and the latest run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from moot.analysis.models import AnalysisRun, AnalystChange
from moot.analysis.selectors.runs import latest_run
from moot.analysis.selectors.themes import pending_changes
from moot.consultations.models import Consultation
from moot.consultations.selectors.access import consultation_for_staff
from moot.core.audit import audit_record
from moot.core.models import AuditAction, User
from moot.core.permissions import Capability
from moot.core.staff_auth import staff_required


class NoAnalysisYet(Exception):
    """A page that needs a finished run was asked for before there is one."""

    def __init__(self, consultation: Consultation) -> None:
        super().__init__("No analysis yet")
        self.consultation = consultation


@dataclass
class Analysis:
    consultation: Consultation
    run: AnalysisRun
    pending: list[AnalystChange]

    def crumbs(self, *trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
        return analysis_crumbs(self.consultation, *trail)


def analysis_crumbs(
    consultation: Consultation, *trail: tuple[str, str | None]
) -> list[tuple[str, str | None]]:
    return [
        ("Consultations", reverse("consultations:staff_consultations")),
        (consultation.title, reverse("consultations:staff_consultation", args=[consultation.slug])),
        ("Analysis", reverse("analysis:overview", args=[consultation.slug])),
        *trail,
    ]


def staff_user(request: HttpRequest) -> User:
    return cast(User, request.user)


def consultation_for_analysis(request: HttpRequest, slug: str) -> Consultation:
    """The consultation, if the signed-in member of staff may analyse its responses (403
    otherwise, 404 if there is none)."""
    return consultation_for_staff(user=request.user, slug=slug, capability=Capability.ANALYSIS)


def analysis_for(request: HttpRequest, slug: str) -> Analysis:
    """The consultation, its latest run and the analyst's changes since; raises
    ``NoAnalysisYet`` (the views send people to the overview) if nothing has run yet."""
    consultation = consultation_for_analysis(request, slug)
    run = latest_run(consultation=consultation)
    if run is None:
        raise NoAnalysisYet(consultation)
    return Analysis(
        consultation=consultation,
        run=run,
        pending=list(pending_changes(consultation=consultation, run=run)),
    )


def audit_text_shown(
    request: HttpRequest, consultation: Consultation, response_ids: Iterable[int], page: str
) -> None:
    """Record that staff saw the text of these responses on an analysis page."""
    audit_record(
        request=request,
        action=AuditAction.VIEW_ANALYSIS,
        consultation_slug=consultation.slug,
        record_ids=response_ids,
        detail={"page": page, "path": request.path},
    )


def analysis_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A staff page (sign-in required) that sends people to the overview, saying why, when
    the consultation has not been analysed yet."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NoAnalysisYet as missing:
            messages.info(request, "Run the analysis first: its results are not ready yet.")
            return redirect("analysis:overview", slug=missing.consultation.slug)

    return wrapper
