"""The public response form: start, one page per topic, check your answers, confirmation,
and save and return. Works without JavaScript; every POST is CSRF-checked and rate-limited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from moot.consultations import proof_of_work
from moot.consultations.forms.respond import (
    DocumentForm,
    SaveAndReturnForm,
    StartForm,
    Step,
    SubmitForm,
    step_initial,
    step_values,
    steps_for,
)
from moot.consultations.models import Consultation, Response, ResponseStatus
from moot.consultations.selectors.responses import (
    consultation_for_response_form,
    questionnaire,
    response_check_rows,
)
from moot.consultations.services import responses as response_services
from moot.consultations.services.responses import (
    ConsultationNotAcceptingResponses,
    ResponseIncomplete,
    response_browser_token,
    response_for_browser_token,
    response_for_resume_token,
)
from moot.consultations.services.routing import response_questions_asked
from moot.core.errors import MootError
from moot.core.ratelimit import client_ip, ip_hash, rate_limit_allows, request_allowed

COOKIE = "moot_response"


def _posted(request: HttpRequest) -> Any:
    """The POST data of a POST (even an empty one, which must show errors), else None."""
    return request.POST if request.method == "POST" else None


def _respond_url(consultation: Consultation, name: str = "respond", **kwargs: Any) -> str:
    return reverse(f"consultations:{name}", kwargs={"slug": consultation.slug, **kwargs})


def _draft(request: HttpRequest, slug: str) -> Response | None:
    token = request.COOKIES.get(COOKIE, "")
    return response_for_browser_token(consultation_slug=slug, token=token) if token else None


def _with_cookie(response: HttpResponse, draft: Response) -> HttpResponse:
    consultation = draft.consultation
    response.set_cookie(
        COOKIE,
        response_browser_token(response=draft),
        expires=max(consultation.closes_at, timezone.now()) + dt.timedelta(days=1),
        path=_respond_url(consultation),
        secure=settings.SITE_URL.startswith("https://"),
        httponly=True,
        samesite="Lax",
    )
    return response


def _refused(request: HttpRequest, consultation: Consultation, error: MootError) -> HttpResponse:
    context = {"consultation": consultation, "message": str(error), "nav_section": "consultations"}
    return render(request, "consultations/respond/refused.html", context, status=403)


def _too_many(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    context = {"consultation": consultation, "nav_section": "consultations"}
    return render(request, "consultations/respond/too_many.html", context, status=429)


def _rejected(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    context = {"consultation": consultation, "nav_section": "consultations"}
    return render(request, "consultations/respond/rejected.html", context, status=400)


def _form_post_allowed(request: HttpRequest) -> bool:
    return request_allowed(request, scope="respond-form", limit=settings.RESPONSE_FORM_RATE_LIMIT)


def _open_draft(request: HttpRequest, slug: str) -> tuple[Consultation, Response | HttpResponse]:
    """The consultation and the visitor's draft, or the page to show instead."""
    draft = _draft(request, slug)
    if draft is None:
        consultation = consultation_for_response_form(slug=slug)
        return consultation, redirect(_respond_url(consultation))
    consultation = draft.consultation
    if draft.status != ResponseStatus.DRAFT:
        return consultation, redirect(_respond_url(consultation, "respond_confirmation"))
    try:
        response_services.consultation_accepts_online(
            consultation=consultation,
            now=timezone.now(),
            late_allowed=draft.allows_late_submission,
        )
    except ConsultationNotAcceptingResponses as error:
        return consultation, _refused(request, consultation, error)
    return consultation, draft


@require_http_methods(["GET", "POST"])
def respond_start(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_response_form(slug=slug)
    draft = _draft(request, slug)
    form = StartForm(_posted(request))
    if request.method == "POST":
        if not _form_post_allowed(request):
            return _too_many(request, consultation)
        if form.honeypot_filled():
            return _rejected(request, consultation)
        try:
            draft = response_services.response_draft_start(
                consultation=consultation,
                client_hash=ip_hash(client_ip(request), purpose="responses"),
            )
        except ConsultationNotAcceptingResponses as error:
            return _refused(request, consultation, error)
        steps = steps_for(consultation, questionnaire(consultation=consultation))
        return _with_cookie(
            redirect(_respond_url(consultation, "respond_step", step=steps[0].slug)), draft
        )
    late_allowed = draft is not None and draft.allows_late_submission
    try:
        response_services.consultation_accepts_online(
            consultation=consultation, now=timezone.now(), late_allowed=late_allowed
        )
    except ConsultationNotAcceptingResponses as error:
        return _refused(request, consultation, error)
    context = {
        "consultation": consultation,
        "form": form,
        "draft": draft if draft is not None and draft.status == ResponseStatus.DRAFT else None,
        "question_count": consultation.questions.count(),
        "nav_section": "consultations",
    }
    return render(request, "consultations/respond/start.html", context)


def _step_links(consultation: Consultation, steps: list[Step], index: int) -> tuple[str, str]:
    back = (
        _respond_url(consultation, "respond_step", step=steps[index - 1].slug)
        if index > 0
        else _respond_url(consultation)
    )
    following = (
        _respond_url(consultation, "respond_step", step=steps[index + 1].slug)
        if index + 1 < len(steps)
        else _respond_url(consultation, "respond_check")
    )
    return back, following


def _draft_steps(consultation: Consultation, draft: Response) -> list[Step]:
    """The pages of the form for this draft: the questions its answers lead to, no others."""
    questions = questionnaire(consultation=consultation)
    return steps_for(consultation, response_questions_asked(response=draft, questions=questions))


def _after_saving(
    consultation: Consultation, draft: Response, step: Step, asked_before: list[Step]
) -> tuple[str, list[Step]]:
    """The page after this one now that its answer is saved (it may have opened or skipped
    questions), and the question pages it opened."""
    steps = _draft_steps(consultation, draft)
    index = next(i for i, s in enumerate(steps) if s.slug == step.slug)
    before = {s.slug for s in asked_before}
    opened = [s for s in steps if s.question is not None and s.slug not in before]
    return _step_links(consultation, steps, index)[1], opened


@require_http_methods(["GET", "POST"])
def respond_step(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    consultation, draft = _open_draft(request, slug)
    if isinstance(draft, HttpResponse):
        return draft
    steps = _draft_steps(consultation, draft)
    index = next((i for i, s in enumerate(steps) if s.slug == step), None)
    if index is None:
        # Not a page, or a question the answers so far skip.
        raise Http404("No such page")
    current = steps[index]
    back, following = _step_links(consultation, steps, index)
    changing = request.GET.get("change") == "1"
    if changing:
        back = following = _respond_url(consultation, "respond_check")
    if current.uploads:
        return _documents_step(request, draft, current, back, following, (index + 1, len(steps)))
    form = current.build(_posted(request), initial=step_initial(current, draft))
    if request.method == "POST":
        if not _form_post_allowed(request):
            return _too_many(request, consultation)
        if form.is_valid():
            _save_step(draft, current, form.cleaned_data)
            if "save_and_return" in request.POST:
                return redirect(_respond_url(consultation, "respond_save"))
            if current.question is not None and current.question.is_choice:
                following_now, opened = _after_saving(consultation, draft, current, steps)
                if changing and opened:
                    # A changed answer opened a question: ask it before going back.
                    step_url = _respond_url(consultation, "respond_step", step=opened[0].slug)
                    return redirect(f"{step_url}?change=1")
                if not changing:
                    following = following_now
            return redirect(following)
    context = {
        "consultation": consultation,
        "form": form,
        "step": current,
        "back_url": back,
        "progress": (index + 1, len(steps)),
        "nav_section": "consultations",
    }
    return render(request, "consultations/respond/step.html", context)


def _documents_step(
    request: HttpRequest,
    draft: Response,
    step: Step,
    back: str,
    following: str,
    progress: tuple[int, int],
) -> HttpResponse:
    """Add or remove documents one at a time; "Continue" moves on."""
    consultation = draft.consultation
    form = DocumentForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        if not _form_post_allowed(request):
            return _too_many(request, consultation)
        here = _respond_url(consultation, "respond_step", step=step.slug)
        if "remove" in request.POST:
            remove = request.POST["remove"]
            if remove.isdigit():
                response_services.response_document_remove(
                    response=draft, attachment_id=int(remove)
                )
            return redirect(here)
        if form.is_valid() and form.cleaned_data["document"] is not None:
            try:
                response_services.response_document_add(
                    response=draft, upload=form.cleaned_data["document"]
                )
            except MootError as error:
                form.add_error("document", str(error))
            else:
                if "upload" in request.POST:
                    return redirect(here)
        if form.is_valid() and "upload" not in request.POST:
            if "save_and_return" in request.POST:
                return redirect(_respond_url(consultation, "respond_save"))
            return redirect(following)
    context = {
        "consultation": consultation,
        "form": form,
        "step": step,
        "documents": draft.attachments.all(),
        "back_url": back,
        "progress": progress,
        "nav_section": "consultations",
    }
    return render(
        request, "consultations/respond/documents.html", context, status=400 if form.errors else 200
    )


def _save_step(draft: Response, step: Step, cleaned: dict[str, Any]) -> None:
    from moot.consultations.forms.respond import answer_value_from

    if step.question is not None:
        value = answer_value_from(step.question, cleaned.get("answer"))
        response_services.response_answer_save(response=draft, question=step.question, value=value)
    else:
        response_services.response_draft_update(response=draft, **step_values(step, cleaned))


def _proof_of_work_required(request: HttpRequest) -> bool:
    mode = settings.RESPONSE_PROOF_OF_WORK
    if mode == "always":
        return True
    if mode != "near-limit":
        return False
    # Counted separately from the hard limit: past half of it, senders must show some work.
    return not rate_limit_allows(
        scope="respond-submit-soft",
        identity=ip_hash(client_ip(request), purpose="ratelimit:respond-submit-soft"),
        limit=max(1, settings.RESPONSE_SUBMIT_RATE_LIMIT // 2),
        window_seconds=3600,
    )


@require_http_methods(["GET", "POST"])
def respond_check(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, draft = _open_draft(request, slug)
    if isinstance(draft, HttpResponse):
        return draft
    form = SubmitForm(_posted(request), initial={"submission_token": draft.submission_token})
    pow_error = False
    incomplete = ""
    if request.method == "POST":
        if not request_allowed(
            request, scope="respond-submit", limit=settings.RESPONSE_SUBMIT_RATE_LIMIT
        ):
            return _too_many(request, consultation)
        if form.honeypot_filled():
            return _rejected(request, consultation)
        if form.is_valid():
            data = form.cleaned_data
            if _proof_of_work_required(request) and not proof_of_work.challenge_verify(
                data["pow_challenge"], data["pow_nonce"]
            ):
                pow_error = True
            else:
                try:
                    response_services.response_submit(
                        response=draft, submission_token=data["submission_token"]
                    )
                except ConsultationNotAcceptingResponses as error:
                    return _refused(request, consultation, error)
                except ResponseIncomplete as error:
                    incomplete = str(error)
                except MootError as error:
                    form.add_error(None, str(error))
                else:
                    return redirect(_respond_url(consultation, "respond_confirmation"))
    rows = response_check_rows(response=draft, steps=_draft_steps(consultation, draft))
    context = {
        "consultation": consultation,
        "form": form,
        "rows": rows,
        "incomplete": incomplete,
        "missing": [row for row in rows if row.missing] if incomplete else [],
        "pow_challenge": proof_of_work.challenge_issue()
        if settings.RESPONSE_PROOF_OF_WORK != "off"
        else "",
        "pow_bits": settings.RESPONSE_PROOF_OF_WORK_BITS,
        "pow_error": pow_error,
        "pow_wait": settings.RESPONSE_PROOF_OF_WORK_WAIT_SECONDS,
        "nav_section": "consultations",
    }
    status = 400 if form.errors or pow_error or incomplete else 200
    return render(request, "consultations/respond/check.html", context, status=status)


def respond_confirmation(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_response_form(slug=slug)
    response = _draft(request, slug)
    if response is None or response.status == ResponseStatus.DRAFT:
        return redirect(_respond_url(consultation))
    context = {"consultation": consultation, "response": response, "nav_section": "consultations"}
    return render(request, "consultations/respond/confirmation.html", context)


@require_http_methods(["GET", "POST"])
def respond_save(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, draft = _open_draft(request, slug)
    if isinstance(draft, HttpResponse):
        return draft
    form = SaveAndReturnForm(_posted(request), initial={"email": draft.respondent_email})
    if request.method == "POST":
        if not _form_post_allowed(request):
            return _too_many(request, consultation)
        if form.is_valid():
            draft = response_services.response_resume_link_send(
                response=draft, email=form.cleaned_data["email"]
            )
            page = render(
                request,
                "consultations/respond/saved.html",
                {"consultation": consultation, "email": draft.respondent_email},
            )
            return _with_cookie(page, draft)
    context = {"consultation": consultation, "form": form, "nav_section": "consultations"}
    return render(request, "consultations/respond/save.html", context)


def respond_resume(
    request: HttpRequest, slug: str, token: str
) -> HttpResponseRedirect | HttpResponse:
    consultation = consultation_for_response_form(slug=slug)
    draft = response_for_resume_token(consultation_slug=slug, token=token)
    if draft is None:
        context = {"consultation": consultation, "nav_section": "consultations"}
        return render(request, "consultations/respond/link_expired.html", context, status=404)
    target = "respond_check" if draft.status == ResponseStatus.DRAFT else "respond_confirmation"
    draft = response_services.response_resume_claim(response=draft)
    redirect_response = redirect(_respond_url(consultation, target))
    _with_cookie(redirect_response, draft)
    return redirect_response
