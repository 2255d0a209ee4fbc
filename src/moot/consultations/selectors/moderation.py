"""Reads for publishing responses with care: the staff moderation list, and what the public
may see (only the published, redacted snapshot, see ``models.moderation``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from moot.consultations.models import (
    Consultation,
    ModerationDecision,
    PublishedText,
    Question,
    QuestionKind,
    Response,
)
from moot.consultations.selectors.exports import PUBLISHABLE_COLUMNS, Export, Value
from moot.consultations.selectors.exports import responses_publishable as consented


def responses_published(*, consultation: Consultation) -> QuerySet[Response]:
    """Responses published and not withdrawn, whose senders still consent to it (a consent
    withdrawn later takes them off at once)."""
    return consented(consultation=consultation).filter(
        publication__isnull=False, publication__withdrawn_at__isnull=True
    )


@dataclass(frozen=True)
class ModerationRow:
    response: Response
    undecided: int
    published: bool
    withdrawn: bool


def moderation_rows(*, consultation: Consultation) -> list[ModerationRow]:
    """Every response that may be published (consent given, not confidential, counted), with
    how many of its texts are still undecided and whether it is published or withdrawn."""
    responses = (
        consented(consultation=consultation)
        .select_related("publication")
        .annotate(
            undecided=Count(
                "moderations", filter=Q(moderations__decision=ModerationDecision.PENDING)
            ),
            decided=Count("moderations"),
        )
    )
    rows = []
    for response in responses:
        publication = getattr(response, "publication", None)
        rows.append(
            ModerationRow(
                response=response,
                undecided=response.undecided if response.decided else -1,
                published=publication is not None and publication.withdrawn_at is None,
                withdrawn=publication is not None and publication.withdrawn_at is not None,
            )
        )
    return rows


def published_export(*, consultation: Consultation, responses: QuerySet[Response]) -> Export:
    """The published snapshot of ``responses`` (already limited to published ones) in the
    shape of the publishable export: approved, redacted texts only; withheld ones absent."""
    questions = list(consultation.questions.order_by("position"))
    queryset = (
        responses.select_related("role", "publication")
        .prefetch_related(
            Prefetch("publication__texts", queryset=PublishedText.objects.select_related(None))
        )
        .order_by("received_at", "id")
    )
    by_id = {question.pk: question for question in questions}
    rows: list[dict[str, Value]] = []
    for response in queryset:
        publication = response.publication
        texts = {text.question_id: text.text for text in publication.texts.all()}
        row: dict[str, Value] = {
            "reference": response.reference or "",
            "channel": response.channel,
            "received_at": response.received_at.date().isoformat() if response.received_at else "",
            "respondent_type": response.respondent_type,
            "published_as": publication.published_as,
            "role": response.role.label if response.role else "",
            "region": response.region,
            "body_text": texts.get(None, ""),
        }
        for question_id, question in by_id.items():
            text = texts.get(question_id, "")
            multiple = question.kind == QuestionKind.MULTIPLE_CHOICE
            row[question.key] = (text.split("\n") if text else []) if multiple else text
        rows.append(row)
    columns = [*PUBLISHABLE_COLUMNS, *(question.key for question in questions)]
    multi = {q.key for q in questions if q.kind == QuestionKind.MULTIPLE_CHOICE}
    return Export(consultation, columns, multi, questions, rows)


def published_matching(*, consultation: Consultation, text: str, question: Question | None) -> Q:
    """Responses whose published text (never the original) matches ``text``."""
    texts = PublishedText.objects.filter(
        publication__response__consultation=consultation, text__icontains=text
    )
    if question is not None:
        return Q(publication__texts__in=texts.filter(question=question))
    return (
        Q(pk__in=texts.values("publication__response_id"))
        | Q(reference__iexact=text)
        | Q(publication__published_as__icontains=text)
    )
