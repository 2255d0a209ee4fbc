"""Reads of responses: the public form's pages, and the staff list and detail pages."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from moot.consultations.models import (
    RESPONDENT_REQUIRED_FIELDS,
    Answer,
    Channel,
    Consultation,
    Question,
    QuestionKind,
    QuestionOption,
    Response,
    ResponseStatus,
    ResponseSummary,
)
from moot.consultations.selectors.access import consultations_visible_to, responses_visible_to

if TYPE_CHECKING:
    from moot.consultations.forms.respond import Step


def questions_with_options() -> Prefetch:
    return Prefetch(
        "questions",
        queryset=Question.objects.order_by("position").prefetch_related(
            Prefetch("options", queryset=QuestionOption.objects.order_by("position"))
        ),
    )


def consultation_for_response_form(*, slug: str) -> Consultation:
    """A published consultation, or 404. One query: submitting must stay cheap."""
    try:
        return Consultation.objects.get(slug=slug, published_at__isnull=False)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None


def questionnaire(*, consultation: Consultation) -> list[Question]:
    """The consultation's questions in order, with their options and routes."""
    return list(
        consultation.questions.order_by("position").prefetch_related(
            Prefetch("options", queryset=QuestionOption.objects.order_by("position")),
            "shown_if_options",
        )
    )


def answers_prefetch() -> Prefetch:
    return Prefetch(
        "answers",
        queryset=Answer.objects.select_related("question").prefetch_related("selected_options"),
    )


def answer_display(answer: Answer | None) -> str:
    if answer is None:
        return ""
    if answer.question.kind == QuestionKind.FREE_TEXT:
        return answer.text
    labels = [option.label for option in answer.selected_options.all()]
    return "; ".join(labels)


@dataclass(frozen=True)
class CheckRow:
    label: str
    value: str
    change_slug: str
    # Required answers are marked; ``missing`` is a required one not yet given, which the
    # page lists at the top, each linked to its page, when sending is refused.
    required: bool = False
    missing: bool = False


def response_check_rows(*, response: Response, steps: list[Step]) -> list[CheckRow]:
    """What the respondent has answered, page by page, for "Check your answers"."""
    response = (
        Response.objects.select_related("role")
        .prefetch_related(answers_prefetch(), "attachments")
        .get(pk=response.pk)
    )
    answers = {answer.question_id: answer for answer in response.answers.all()}
    rows = []
    for step in steps:
        if step.uploads:
            names = [attachment.filename for attachment in response.attachments.all()]
            rows.append(CheckRow("Documents", "\n".join(names) or "None added", step.slug))
            continue
        if step.question is not None:
            value = answer_display(answers.get(step.question.pk))
            required = step.question.required
            rows.append(
                CheckRow(
                    step.question.text,
                    value or "Not answered",
                    step.slug,
                    required=required,
                    missing=required and not value,
                )
            )
            continue
        for name in step.fields:
            required = name in RESPONDENT_REQUIRED_FIELDS
            rows.append(
                CheckRow(
                    *_about_you_row(response, name),
                    step.slug,
                    required=required,
                    missing=required and getattr(response, name) in ("", None),
                )
            )
    return rows


def _about_you_row(response: Response, name: str) -> tuple[str, str]:
    if name == "name":
        return "Name", response.respondent_name or "Not given"
    if name == "email":
        return "Email address", response.respondent_email or "Not given"
    if name == "respondent_type":
        return "Responding", response.get_respondent_type_display() or "Not answered"
    if name == "organisation_name":
        return "Organisation", response.organisation_name or "Not applicable"
    if name == "role":
        return "Role", response.role.label if response.role else "Not given"
    if name == "region":
        return "Region", response.get_region_display() or "Not given"
    if name == "wants_confidentiality":
        value = {True: "Yes", False: "No", None: "Not answered"}[response.wants_confidentiality]
        return "Keep confidential", value
    if name == "confidentiality_reason":
        return "Reason for confidentiality", response.confidentiality_reason or "Not applicable"
    return "Publication", response.get_publication_consent_display() or "Not answered"


@dataclass(frozen=True)
class ResponseFilters:
    channel: str = ""
    respondent_type: str = ""
    status: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    answered_question: Question | None = None
    text: str = ""


def responses_for_staff_list(
    *, user: object, consultation: Consultation, filters: ResponseFilters
) -> QuerySet[Response]:
    """The received responses (not drafts) of a consultation the user may see, filtered."""
    queryset = (
        responses_visible_to(user=user)
        .filter(consultation=consultation)
        .exclude(status=ResponseStatus.DRAFT)
        .select_related("role")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-received_at", "-id")
    )
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.respondent_type:
        queryset = queryset.filter(respondent_type=filters.respondent_type)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.received_from:
        queryset = queryset.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        queryset = queryset.filter(received_at__date__lte=filters.received_to)
    if filters.answered_question is not None:
        queryset = queryset.filter(answers__question=filters.answered_question)
    if filters.text:
        matching_answers = Answer.objects.filter(text__icontains=filters.text).values("response_id")
        queryset = queryset.filter(
            Q(reference__iexact=filters.text)
            | Q(body_text__icontains=filters.text)
            | Q(subject__icontains=filters.text)
            | Q(organisation_name__icontains=filters.text)
            | Q(respondent_name__icontains=filters.text)
            | Q(respondent_email__icontains=filters.text)
            | Q(pk__in=matching_answers)
            | Q(attachments__extracted_text__icontains=filters.text)
        ).distinct()
    return queryset


def response_for_staff(*, user: object, consultation: Consultation, response_id: int) -> Response:
    queryset = (
        responses_visible_to(user=user)
        .filter(consultation=consultation)
        .select_related("role", "late_accepted_by", "entered_by")
        .prefetch_related(answers_prefetch(), "attachments", "questions_not_asked")
    )
    try:
        return queryset.get(pk=response_id)
    except Response.DoesNotExist:
        raise Http404("No such response") from None


@dataclass(frozen=True)
class ResponseCounts:
    total: int
    by_channel: list[tuple[str, int]]
    by_status: list[tuple[str, int]]


def response_counts(*, consultation: Consultation) -> ResponseCounts:
    """How many responses came in (drafts aside), by channel and by status."""
    channels: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    rows = (
        Response.objects.filter(consultation=consultation)
        .exclude(status=ResponseStatus.DRAFT)
        .values_list("channel", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for channel, status, n in rows:
        channels[Channel(channel).label] += n
        statuses[ResponseStatus(status).label] += n
    return ResponseCounts(
        total=sum(channels.values()),
        by_channel=sorted(channels.items()),
        by_status=sorted(statuses.items()),
    )


def questions_not_asked_counts(*, consultation_id: int) -> dict[int, int]:
    """How many counted responses (``Response.is_counted``) each question was not asked,
    skipped by the routing: what tallies report apart from those asked who did not answer."""
    through = Response.questions_not_asked.through
    counted = Q(response__status=ResponseStatus.SUBMITTED) | Q(
        response__status=ResponseStatus.LATE, response__late_accepted_at__isnull=False
    )
    rows = (
        through.objects.filter(counted, response__consultation_id=consultation_id)
        .values_list("question_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def consultations_for_staff_list(*, user: object) -> QuerySet[Consultation]:
    return (
        consultations_visible_to(user=user)
        .annotate(
            received_count=Count("responses", filter=~Q(responses__status=ResponseStatus.DRAFT))
        )
        .order_by("-closes_at", "title")
    )


def response_summary_published(*, slug: str) -> ResponseSummary:
    """The published summary of responses of a consultation, or 404."""
    try:
        return ResponseSummary.objects.select_related("consultation__department").get(
            consultation__slug=slug,
            published_at__isnull=False,
            consultation__outcome_published_at__isnull=False,
        )
    except ResponseSummary.DoesNotExist:
        raise Http404("No summary of responses has been published") from None
