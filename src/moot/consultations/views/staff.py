"""Staff pages: consultations and their responses, exports, postal entry and the lifecycle.

Every page asks ``selectors.access`` whether the signed-in member of staff may see the
consultation; a consultation of another department is refused with 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from moot.consultations.downloads import response_file_download
from moot.consultations.forms.staff import (
    LateInvitationForm,
    OutcomeForm,
    PostalResponseForm,
    ResponseDetailsForm,
    ResponseFilterForm,
    SummaryForm,
)
from moot.consultations.models import Channel, ResponseAttachmentKind, ResponseSummary
from moot.consultations.selectors.access import consultation_for_staff
from moot.consultations.selectors.exports import (
    EXPORT_FORMATS,
    Export,
    publishable_export,
    responses_export,
)
from moot.consultations.selectors.responses import (
    consultations_for_staff_list,
    response_counts,
    response_for_staff,
    responses_for_staff_list,
)
from moot.consultations.services import lifecycle
from moot.consultations.services import responses as response_services
from moot.core.audit import audit_record
from moot.core.errors import FileRejected, MootError
from moot.core.models import AuditAction, User
from moot.core.permissions import Capability
from moot.core.staff_auth import staff_required

View = Callable[..., Any]


def _posted(request: HttpRequest) -> Any:
    """The POST data of a POST (even an empty one, which must show errors), else None."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def _staff_user(request: HttpRequest) -> User:
    # Only reached through staff_required, so the user is a signed-in member of staff.
    return cast(User, request.user)


@staff_required
def staff_consultations(request: HttpRequest) -> HttpResponse:
    consultations = consultations_for_staff_list(user=request.user)
    return render(
        request, "consultations/staff/consultations.html", {"consultations": consultations}
    )


@staff_required
def staff_consultation(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_staff(user=request.user, slug=slug, capability=None)
    context = {
        "consultation": consultation,
        "status": consultation.status,
        "counts": response_counts(consultation=consultation),
        "summary": ResponseSummary.objects.filter(consultation=consultation).first(),
        "late_form": LateInvitationForm(),
    }
    return render(request, "consultations/staff/consultation.html", context)


@staff_required
@require_POST
def staff_transition(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    consultation = consultation_for_staff(
        user=request.user, slug=slug, capability=Capability.CONTENT
    )
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is None:
        raise Http404("No such action")
    try:
        transition(consultation=consultation, by=_staff_user(request))
    except MootError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The consultation's status has been changed.")
    return redirect("consultations:staff_consultation", slug=slug)


@staff_required
def staff_summary(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_staff(
        user=request.user, slug=slug, capability=Capability.ANALYSIS
    )
    summary = ResponseSummary.objects.filter(consultation=consultation).first()
    initial = {"title": summary.title, "body": summary.body} if summary else {}
    form = SummaryForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        lifecycle.response_summary_save(consultation=consultation, **form.cleaned_data)
        messages.success(request, "The summary of responses has been saved.")
        return redirect("consultations:staff_consultation", slug=slug)
    context = {"consultation": consultation, "form": form, "summary": summary}
    return render(request, "consultations/staff/summary.html", context)


@staff_required
def staff_outcome(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_staff(
        user=request.user, slug=slug, capability=Capability.CONTENT
    )
    form = OutcomeForm(_posted(request), _files(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["final_document"]
        try:
            if consultation.outcome_published_at is not None:
                # After the outcome, only a new version of the final document can be added.
                lifecycle.final_document_add(
                    consultation=consultation,
                    title=form.cleaned_data["final_document_title"],
                    data=upload.read() if upload else b"",
                    replaces_final=form.replaces,
                )
            else:
                lifecycle.consultation_publish_outcome(
                    consultation=consultation,
                    by=_staff_user(request),
                    final_document_title=form.cleaned_data["final_document_title"],
                    final_document_data=upload.read() if upload else None,
                    replaces_final=form.replaces,
                )
        except MootError as error:
            form.add_error(
                "final_document" if isinstance(error, FileRejected) else None, str(error)
            )
        else:
            messages.success(request, "The outcome has been published.")
            return redirect("consultations:staff_consultation", slug=slug)
    context = {"consultation": consultation, "form": form}
    return render(
        request, "consultations/staff/outcome.html", context, status=400 if form.errors else 200
    )


@staff_required
@require_POST
def staff_late_invitation(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_staff(user=request.user, slug=slug)
    form = LateInvitationForm(request.POST)
    if form.is_valid():
        try:
            response_services.response_late_invitation_create(
                consultation=consultation, by=_staff_user(request), email=form.cleaned_data["email"]
            )
        except MootError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"A link to respond late has been sent to {form.cleaned_data['email']}."
            )
    else:
        messages.error(request, "Enter a valid email address to send a late response link to.")
    return redirect("consultations:staff_consultation", slug=slug)


@staff_required
def staff_responses(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_staff(user=request.user, slug=slug)
    form = ResponseFilterForm(request.GET or None, consultation=consultation)
    responses = responses_for_staff_list(
        user=request.user, consultation=consultation, filters=form.filters()
    )
    page = Paginator(responses, 50).get_page(request.GET.get("page"))
    audit_record(
        request=request,
        action=AuditAction.VIEW_RESPONSES,
        consultation_slug=slug,
        record_ids=[response.pk for response in page],
        detail={"query": request.GET.urlencode()},
    )
    context = {"consultation": consultation, "form": form, "page_obj": page}
    return render(request, "consultations/staff/responses.html", context)


def _export_response(export: Export, *, fmt: str, filename: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format")
    content_type, writer = EXPORT_FORMATS[fmt]
    response = HttpResponse(writer(export), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def staff_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    consultation = consultation_for_staff(user=request.user, slug=slug)
    form = ResponseFilterForm(request.GET or None, consultation=consultation)
    responses = responses_for_staff_list(
        user=request.user, consultation=consultation, filters=form.filters()
    )
    export = responses_export(consultation=consultation, responses=responses, publishable=False)
    audit_record(
        request=request,
        action=AuditAction.EXPORT_RESPONSES,
        consultation_slug=slug,
        record_ids=responses.values_list("pk", flat=True),
        detail={"format": fmt, "query": request.GET.urlencode()},
    )
    return _export_response(export, fmt=fmt, filename=f"{slug}-responses")


@staff_required
def staff_publishable(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_staff(user=request.user, slug=slug)
    export = publishable_export(consultation=consultation)
    context = {"consultation": consultation, "export": export, "staff": True}
    return render(request, "consultations/staff/publishable.html", context)


@staff_required
def staff_publishable_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    consultation = consultation_for_staff(user=request.user, slug=slug)
    export = publishable_export(consultation=consultation)
    return _export_response(export, fmt=fmt, filename=f"{slug}-publishable")


@staff_required
def staff_response(request: HttpRequest, slug: str, response_id: int) -> HttpResponse:
    consultation = consultation_for_staff(user=request.user, slug=slug)
    response = response_for_staff(
        user=request.user, consultation=consultation, response_id=response_id
    )
    answers = {answer.question_id: answer for answer in response.answers.all()}
    rows = [(question, answers.get(question.pk)) for question in consultation.questions.all()]
    audit_record(
        request=request,
        action=AuditAction.VIEW_RESPONSE,
        consultation_slug=slug,
        record_ids=[response.pk],
    )
    not_asked = {question.pk for question in response.questions_not_asked.all()}
    context = {
        "consultation": consultation,
        "response": response,
        "rows": rows,
        "not_asked": not_asked,
    }
    return render(request, "consultations/staff/response.html", context)


@staff_required
def staff_response_edit(request: HttpRequest, slug: str, response_id: int) -> HttpResponse:
    consultation = consultation_for_staff(user=request.user, slug=slug)
    response = response_for_staff(
        user=request.user, consultation=consultation, response_id=response_id
    )
    if response.channel == Channel.ONLINE:
        raise Http404("Online responses are not edited")
    form = ResponseDetailsForm(
        _posted(request),
        consultation=consultation,
        initial=ResponseDetailsForm.initial_for(response),
    )
    if request.method == "POST" and form.is_valid():
        response_services.response_details_update(
            response=response,
            by=_staff_user(request),
            respondent=form.respondent(),
            answers=form.answers(),
        )
        audit_record(
            request=request,
            action=AuditAction.EDIT_RESPONSE,
            consultation_slug=slug,
            record_ids=[response.pk],
        )
        messages.success(request, "The response has been updated.")
        return redirect(response.get_absolute_url())
    context = {"consultation": consultation, "response": response, "form": form}
    status = 400 if form.errors else 200
    return render(request, "consultations/staff/response_edit.html", context, status=status)


RESPONSE_ACTIONS = {
    "accept-late": response_services.response_accept_late,
    "withdraw": response_services.response_withdraw,
}


@staff_required
@require_POST
def staff_response_action(
    request: HttpRequest, slug: str, response_id: int, action: str
) -> HttpResponse:
    consultation = consultation_for_staff(user=request.user, slug=slug)
    response = response_for_staff(
        user=request.user, consultation=consultation, response_id=response_id
    )
    service = RESPONSE_ACTIONS.get(action)
    if service is None:
        raise Http404("No such action")
    try:
        service(response=response, by=_staff_user(request))
    except MootError as error:
        messages.error(request, str(error))
    else:
        audit_record(
            request=request,
            action=AuditAction.EDIT_RESPONSE,
            consultation_slug=slug,
            record_ids=[response.pk],
            detail={"change": action},
        )
        messages.success(request, "The response has been updated.")
    return redirect(response.get_absolute_url())


@staff_required
def staff_response_attachment(
    request: HttpRequest, slug: str, response_id: int, attachment_id: int
) -> FileResponse:
    consultation = consultation_for_staff(user=request.user, slug=slug)
    response = response_for_staff(
        user=request.user, consultation=consultation, response_id=response_id
    )
    attachment = next((a for a in response.attachments.all() if a.pk == attachment_id), None)
    if attachment is None or not attachment.file:
        raise Http404("No such file")
    audit_record(
        request=request,
        action=AuditAction.DOWNLOAD_RESPONSE_FILE,
        consultation_slug=slug,
        record_ids=[response.pk],
        detail={"file": attachment.filename},
    )
    return response_file_download(attachment)


@staff_required
def staff_postal_response(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_staff(user=request.user, slug=slug)
    form = PostalResponseForm(_posted(request), _files(request), consultation=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            response = response_services.response_record_postal(
                consultation=consultation,
                by=_staff_user(request),
                received_at=form.received_at(),
                respondent=form.respondent(),
                answers=form.answers(),
                body_text=form.cleaned_data["body_text"],
                scan=form.cleaned_data["scan"],
            )
        except FileRejected as error:
            form.add_error("scan", str(error))
        else:
            messages.success(request, f"Postal response {response.reference} has been saved.")
            return redirect(response.get_absolute_url())
    context = {
        "consultation": consultation,
        "form": form,
        "today": timezone.localdate(),
        "channel": Channel.POST,
        "scan_kind": ResponseAttachmentKind.SCAN,
    }
    return render(
        request, "consultations/staff/postal.html", context, status=400 if form.errors else 200
    )
