"""A policy thread: everything moot holds on one policy, as a timeline, newest first.

A thread starts from a document or a consultation and takes in the policy around it: a
consultation's documents (the draft, the final guidance) and a document's consultation;
the documents any of those replace, supplement or finalise, or are replaced, supplemented
or finalised by (one step, so that a guide every policy supplements does not pull every
policy in), with their own consultations; and the written questions and answers that
mention any of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from moot.consultations.models import (
    Consultation,
    Document,
    DocumentRelation,
    DocumentVersion,
    ResponseStatus,
    ResponseSummary,
)
from moot.policy.selectors import ParliamentRecord, mentioning_records

Subject = Document | Consultation


@dataclass(frozen=True)
class Related:
    label: str
    title: str
    url: str


@dataclass
class ThreadEvent:
    """One thing that happened on the thread."""

    key: str  # stable: the feed's item id, and what an alert remembers it sent
    day: dt.date
    kind: str
    title: str
    url: str
    description: str
    news_at: dt.datetime  # when moot had it: what makes it new to an alert
    related: list[Related] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[dt.date, int, str]:
        return (self.day, _KIND_ORDER.get(self.kind_code, 0), self.key)

    @property
    def kind_code(self) -> str:
        return self.key.split(":", 1)[0]


# Within one day: the document's publication after the outcome that published it, etc.
_KIND_ORDER = {
    "consultation-opened": 1,
    "consultation-closed": 2,
    "question": 3,
    "statement": 3,
    "summary": 4,
    "outcome": 5,
    "version": 6,
    "document": 6,
    "withdrawn": 7,
}


@dataclass
class Thread:
    subject: Subject
    documents: list[Document]
    consultations: list[Consultation]
    events: list[ThreadEvent]

    @property
    def title(self) -> str:
        return self.subject.title

    @property
    def url(self) -> str:
        return thread_url(self.subject)


def thread_url(subject: Subject) -> str:
    if isinstance(subject, Consultation):
        return reverse("policy:consultation_thread", kwargs={"slug": subject.slug})
    return reverse("policy:document_thread", kwargs={"slug": subject.slug})


def thread_subject(*, kind: str, slug: str) -> Subject:
    """The published consultation or the document a thread page is about, or 404."""
    try:
        if kind == "consultation":
            return Consultation.objects.get(slug=slug, published_at__isnull=False)
        return Document.objects.get(slug=slug)
    except (Consultation.DoesNotExist, Document.DoesNotExist):
        raise Http404("No such policy") from None


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _members(subject: Subject) -> tuple[list[Document], list[Consultation]]:
    published = Consultation.objects.filter(published_at__isnull=False)
    consultation_ids: set[int] = set()
    document_ids: set[int] = set()
    if isinstance(subject, Consultation):
        consultation_ids.add(subject.pk)
    else:
        document_ids.add(subject.pk)
        if subject.consultation_id and published.filter(pk=subject.consultation_id).exists():
            consultation_ids.add(subject.consultation_id)
    document_ids.update(
        Document.objects.filter(consultation_id__in=consultation_ids).values_list("id", flat=True)
    )
    related = DocumentRelation.objects.filter(
        Q(subject_id__in=document_ids) | Q(object_id__in=document_ids)
    ).values_list("subject_id", "object_id")
    hop = {doc_id for pair in related for doc_id in pair} - document_ids
    hop_consultations = set(published.filter(documents__id__in=hop).values_list("id", flat=True))
    consultation_ids |= hop_consultations
    document_ids |= hop
    document_ids.update(
        Document.objects.filter(consultation_id__in=hop_consultations).values_list("id", flat=True)
    )
    documents = list(
        Document.objects.filter(id__in=document_ids)
        .select_related("department")
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("number")),
            Prefetch(
                "outgoing_relations", queryset=DocumentRelation.objects.select_related("object")
            ),
        )
    )
    consultations: list[Consultation] = list(
        published.filter(id__in=consultation_ids)
        .select_related("department")
        .annotate(
            counted_responses=Count(
                "responses",
                filter=Q(responses__status=ResponseStatus.SUBMITTED)
                | Q(
                    responses__status=ResponseStatus.LATE, responses__late_accepted_at__isnull=False
                ),
            )
        )
    )
    return documents, consultations


def _document_events(document: Document) -> list[ThreadEvent]:
    related = [
        Related(
            label=relation.get_kind_display(),
            title=str(relation.object),
            url=relation.object.get_absolute_url(),
        )
        for relation in document.outgoing_relations.all()
    ]
    kind = document.get_kind_display()
    publisher = f" by {document.publisher_name}" if document.publisher_name else ""
    events = []
    versions = list(document.versions.all())
    for version in versions:
        first = version.number == 1
        events.append(
            ThreadEvent(
                key=f"version:{version.pk}",
                day=version.published_on,
                kind=f"{kind} published" if first else f"{kind} updated",
                title=document.title if first else f"{document.title}, version {version.number}",
                url=document.get_absolute_url(),
                description=version.change_note or (document.summary if first else ""),
                news_at=version.created_at,
                related=related if first else [],
            )
        )
    if not versions and document.published_on:
        events.append(
            ThreadEvent(
                key=f"document:{document.pk}",
                day=document.published_on,
                kind=f"{kind} published{publisher}",
                title=document.title,
                url=document.get_absolute_url(),
                description=document.summary,
                news_at=document.created_at,
                related=related,
            )
        )
    if document.withdrawn_on:
        events.append(
            ThreadEvent(
                key=f"withdrawn:{document.pk}",
                day=document.withdrawn_on,
                kind=f"{kind} withdrawn",
                title=document.title,
                url=document.get_absolute_url(),
                description="",
                news_at=document.updated_at,
            )
        )
    return events


def _consultation_events(
    consultation: Consultation, summary: ResponseSummary | None, now: dt.datetime
) -> list[ThreadEvent]:
    url = consultation.get_absolute_url()
    closes = timezone.localtime(consultation.closes_at)
    events = []
    if consultation.opens_at <= now:
        events.append(
            ThreadEvent(
                key=f"consultation-opened:{consultation.pk}",
                day=timezone.localtime(consultation.opens_at).date(),
                kind="Consultation opened",
                title=consultation.title,
                url=url,
                description=f"{consultation.department.name} asked for responses by "
                f"{closes:%-d %B %Y}.",
                news_at=max(consultation.opens_at, consultation.published_at or now),
            )
        )
    if consultation.closes_at <= now:
        counted = getattr(consultation, "counted_responses", 0)
        events.append(
            ThreadEvent(
                key=f"consultation-closed:{consultation.pk}",
                day=closes.date(),
                kind="Consultation closed",
                title=consultation.title,
                url=url,
                description=(
                    f"{counted} response{'s' if counted != 1 else ''} received through moot."
                    if counted
                    else "The consultation closed."
                ),
                news_at=consultation.closes_at,
            )
        )
    if summary is not None and summary.published_at is not None:
        events.append(
            ThreadEvent(
                key=f"summary:{consultation.pk}",
                day=timezone.localtime(summary.published_at).date(),
                kind="Summary of responses published",
                title=f"{summary.title}: {consultation.title}",
                url=summary.get_absolute_url(),
                description="The department's analysis of the responses.",
                news_at=summary.published_at,
            )
        )
    if consultation.outcome_published_at is not None:
        events.append(
            ThreadEvent(
                key=f"outcome:{consultation.pk}",
                day=timezone.localtime(consultation.outcome_published_at).date(),
                kind="Outcome published",
                title=consultation.title,
                url=url,
                description="The department published its response and the final document.",
                news_at=consultation.outcome_published_at,
            )
        )
    return events


def _record_description(record: ParliamentRecord) -> str:
    if record.statement is not None:
        statement = record.statement
        by = statement.person.name if statement.person else statement.speaker_name
        made = f"{by} made it" if by else "Made"
        return f"{made} for the {statement.department.name}." if statement.department else ""
    question = record.question
    if question is None:
        return ""
    to = f" the {question.department.name}" if question.department else ""
    if record.answer is not None:
        answerer = record.answer.answerer_display_name
        return f"{question.asker_display_name} asked{to}; {answerer} answered."
    return f"{question.asker_display_name} asked{to}."


def policy_thread(*, subject: Subject, now: dt.datetime | None = None) -> Thread:
    """The thread of ``subject``, newest first. Only what is public is in it."""
    now = now or timezone.now()
    documents, consultations = _members(subject)
    summaries = {
        summary.consultation_id: summary
        for summary in ResponseSummary.objects.filter(
            consultation__in=consultations, published_at__isnull=False, published_at__lte=now
        )
    }
    events: list[ThreadEvent] = []
    for document in documents:
        events.extend(_document_events(document))
    for consultation in consultations:
        events.extend(_consultation_events(consultation, summaries.get(consultation.pk), now))
    for record in mentioning_records(documents=documents, consultations=consultations):
        events.append(
            ThreadEvent(
                key=record.key,
                day=record.date,
                kind=record.label,
                title=record.title,
                url=record.url,
                description=_record_description(record),
                news_at=min(mention.created_at for mention in record.mentions),
                words=record.words,
            )
        )
    events.sort(key=lambda event: event.sort_key, reverse=True)
    return Thread(subject=subject, documents=documents, consultations=consultations, events=events)
