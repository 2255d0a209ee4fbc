"""Reads for alerts: what is new, what to offer on the "Alert me" page, whose alerts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from moot.alerts.models import Alert, AlertConfirmation, AlertKind, AlertRequest, Subscriber
from moot.consultations.models import Consultation, Document
from moot.core.models import Department
from moot.parliament.models import DebateSection, Person, WrittenQuestion, WrittenStatement
from moot.policy.threads import ThreadEvent, policy_thread
from moot.search.documents import (
    SEARCH_PREFETCH,
    SearchDocument,
    consultation_document,
    debate_document,
    document_document,
    question_document,
    statement_document,
)
from moot.search.query import QuerySyntaxError, parse
from moot.search.selectors import SearchResults, search_results

CLOSING_NOTICE = dt.timedelta(days=7)


# --- new items ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NewItem:
    """A searchable page that appeared or changed, and when its news happened.

    ``news_at`` is when it became new to readers: a question's latest answer, a
    consultation's publication (or its creation, if later), a document's latest version.
    Alerts created after that moment never receive it, so correcting a typo in an old item
    sends nothing.
    """

    document: SearchDocument
    news_at: dt.datetime


LOAD_CHUNK = 500


def _ids(*querysets: QuerySet[Any]) -> list[int]:
    # One query per way of having changed: each can use an index, where an OR over a join
    # could not.
    found: set[int] = set()
    for queryset in querysets:
        found.update(queryset.values_list("id", flat=True))
    return sorted(found)


def _load(model: type[Any], ids: list[int]) -> Iterator[Any]:
    prefetch = cast(dict[type, list[Any]], SEARCH_PREFETCH)[model]
    for start in range(0, len(ids), LOAD_CHUNK):
        chunk = ids[start : start + LOAD_CHUNK]
        yield from model.objects.filter(id__in=chunk).prefetch_related(*prefetch).order_by("id")


def items_changed_since(*, since: dt.datetime) -> list[NewItem]:
    """Every searchable item saved (or with an answer, section, version or speech saved)
    after ``since``: questions, written statements, debates, consultations and documents."""
    question_ids = _ids(
        WrittenQuestion.objects.filter(updated_at__gt=since),
        WrittenQuestion.objects.filter(answers__updated_at__gt=since),
    )
    published = Consultation.objects.filter(published_at__isnull=False)
    consultation_ids = _ids(
        published.filter(updated_at__gt=since),
        published.filter(sections__updated_at__gt=since),
        published.filter(attachments__updated_at__gt=since),
    )
    document_ids = _ids(
        Document.objects.filter(updated_at__gt=since),
        Document.objects.filter(versions__updated_at__gt=since),
    )
    debate_ids = _ids(
        DebateSection.objects.filter(updated_at__gt=since),
        DebateSection.objects.filter(speeches__updated_at__gt=since),
    )
    statement_ids = _ids(WrittenStatement.objects.filter(updated_at__gt=since))
    items: list[NewItem] = []
    for section in _load(DebateSection, debate_ids):
        # New to readers when it first appeared: a newer version of the record is not news.
        items.append(NewItem(debate_document(section), section.created_at))
    for question in _load(WrittenQuestion, question_ids):
        answered = [answer.created_at for answer in question.answers.all()]
        items.append(NewItem(question_document(question), max([question.created_at, *answered])))
    for consultation in _load(Consultation, consultation_ids):
        document = consultation_document(consultation)
        if document is not None and consultation.published_at is not None:
            # New to readers when published, or when it first appeared already published.
            news_at = max(consultation.created_at, consultation.published_at)
            items.append(NewItem(document, news_at))
    for statement in _load(WrittenStatement, statement_ids):
        # News when it is first imported: a newer version of the record changes no news.
        items.append(NewItem(statement_document(statement), statement.created_at))
    for publication in _load(Document, document_ids):
        versions = [version.created_at for version in publication.versions.all()]
        items.append(
            NewItem(document_document(publication), max([publication.created_at, *versions]))
        )
    return items


@dataclass(frozen=True)
class ConsultationEvent:
    alert_id: int
    item_key: str
    consultation: Consultation
    news_at: dt.datetime


def consultation_events(*, now: dt.datetime) -> list[ConsultationEvent]:
    """Consultation alerts that are due: closing within 7 days, or an outcome published
    after the alert was set up."""
    active = Alert.objects.filter(
        paused_at__isnull=True, subscriber__suspended_at__isnull=True
    ).select_related("consultation")
    closing = active.filter(
        kind=AlertKind.CLOSING,
        consultation__published_at__isnull=False,
        consultation__closes_at__gt=now,
        consultation__closes_at__lte=now + CLOSING_NOTICE,
    )
    outcome = active.filter(
        kind=AlertKind.OUTCOME,
        consultation__published_at__isnull=False,
        consultation__outcome_published_at__isnull=False,
        consultation__outcome_published_at__lte=now,
    )
    events = _department_events(now=now)
    for alert in [*closing, *outcome]:
        consultation = alert.consultation
        if consultation is None:  # excluded by the filters above
            continue
        if alert.kind == AlertKind.CLOSING:
            news_at = consultation.closes_at - CLOSING_NOTICE
        else:
            news_at = consultation.outcome_published_at or now
            if news_at <= alert.created_at:
                continue
        events.append(
            ConsultationEvent(alert.id, f"{alert.kind}:{consultation.id}", consultation, news_at)
        )
    return events


# Outcomes published longer ago than this are not looked for again.
OUTCOME_LOOKBACK = dt.timedelta(days=30)


def _department_events(*, now: dt.datetime) -> list[ConsultationEvent]:
    """Events for alerts about every consultation of a department: consultations entering
    their last 7 days, and outcomes published, after the alert was set up."""
    published = Consultation.objects.filter(published_at__isnull=False)
    closing = published.filter(closes_at__gt=now, closes_at__lte=now + CLOSING_NOTICE)
    outcomes = published.filter(
        outcome_published_at__lte=now, outcome_published_at__gt=now - OUTCOME_LOOKBACK
    )
    events = []
    for kind, consultations in ((AlertKind.CLOSING, closing), (AlertKind.OUTCOME, outcomes)):
        by_department: dict[int, list[Consultation]] = {}
        for consultation in consultations:
            by_department.setdefault(consultation.department_id, []).append(consultation)
        alerts = Alert.objects.filter(
            kind=kind,
            department_id__in=list(by_department),
            paused_at__isnull=True,
            subscriber__suspended_at__isnull=True,
        ).only("id", "department_id", "created_at")
        for alert in alerts:
            for consultation in by_department[alert.department_id or 0]:
                news_at = (
                    consultation.closes_at - CLOSING_NOTICE
                    if kind == AlertKind.CLOSING
                    else consultation.outcome_published_at
                )
                if news_at is not None and news_at > alert.created_at:
                    key = f"{kind}:{consultation.id}"
                    events.append(ConsultationEvent(alert.id, key, consultation, news_at))
    return events


# Thread events that moot had longer ago than this are not looked for again.
POLICY_LOOKBACK = dt.timedelta(days=30)


@dataclass(frozen=True)
class PolicyEvent:
    alert_id: int
    item_key: str
    event: ThreadEvent


def policy_events(*, now: dt.datetime) -> list[PolicyEvent]:
    """What is new on the thread of each active policy alert: events moot had after the
    alert was set up (and within the look-back). Each thread is read once, however many
    alerts follow it."""
    alerts = Alert.objects.filter(
        kind=AlertKind.POLICY, paused_at__isnull=True, subscriber__suspended_at__isnull=True
    ).select_related("consultation", "document")
    by_subject: dict[tuple[str, int], list[Alert]] = {}
    for alert in alerts:
        subject = alert.consultation or alert.document
        if subject is not None:
            by_subject.setdefault((type(subject).__name__, subject.pk), []).append(alert)
    found: list[PolicyEvent] = []
    for followers in by_subject.values():
        subject = followers[0].consultation or followers[0].document
        if subject is None or (isinstance(subject, Consultation) and not subject.published_at):
            continue
        thread = policy_thread(subject=subject, now=now)
        recent = [event for event in thread.events if now - POLICY_LOOKBACK < event.news_at <= now]
        for alert in followers:
            found.extend(
                PolicyEvent(alert.id, f"policy:{event.key}"[:60], event)
                for event in recent
                if event.news_at > alert.created_at
            )
    return found


# --- the "Alert me" page ------------------------------------------------------------------


@dataclass(frozen=True)
class AlertOption:
    """One alert the page can offer: a search alert (query) or a consultation alert."""

    value: str
    label: str
    kind: str
    query: str = ""
    consultation: Consultation | None = None
    department: Department | None = None
    hint: str = ""
    document: Document | None = None


@dataclass(frozen=True)
class AlertSuggestion:
    """What the "Alert me" page offers: an editable search, or a choice of options."""

    heading: str
    query: str = ""
    description: str = ""
    options: list[AlertOption] = field(default_factory=list)
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def is_search(self) -> bool:
        return not self.options

    def option(self, value: str) -> AlertOption | None:
        return next((option for option in self.options if option.value == value), None)


def _phrase_or_word(words: list[str]) -> str:
    return words[0] if len(words) == 1 else '"' + " ".join(words) + '"'


def question_alert_query(*, heading: str) -> str:
    """A search for debates like a question, from its heading.

    Headings read "Subject: Detail" ("Children: Sexual Exploitation"): each part becomes a
    word or an exact phrase, all required — ``Children "Sexual Exploitation"``.
    """
    parts = []
    for part in heading.split(":"):
        words = [word.lstrip("-") for word in re.findall(r"[^\s\"()]+", part)]
        words = [word for word in words if word and word not in {"OR", "-"}]
        if words:
            parts.append(_phrase_or_word(words))
    query = " ".join(parts)
    try:
        parse(query)
    except QuerySyntaxError:
        words = re.findall(r"\w+", heading)
        query = _phrase_or_word(words) if words else ""
    return query


def alert_suggestion(*, parameters: dict[str, str]) -> AlertSuggestion:
    """What to offer for the page's parameters: ``consultation``, ``department``,
    ``member``, ``question``, ``policy`` (``document:<slug>`` or ``consultation:<slug>``)
    or ``q`` (any search). Unknown records are a 404."""
    if value := parameters.get("policy", "").strip():
        return _policy_suggestion(value)
    if value := parameters.get("consultation", "").strip():
        return _consultation_suggestion(value)
    if value := parameters.get("department", "").strip():
        department = Department.objects.filter(slug=value).first()
        if department is None:
            raise Http404("No such department")
        return AlertSuggestion(
            heading=f"Alerts about {department.name}",
            options=_department_options(department),
            parameters={"department": department.slug},
        )
    if value := parameters.get("member", "").strip():
        person = Person.objects.filter(slug=value).first()
        if person is None:
            raise Http404("No such member")
        return AlertSuggestion(
            heading=f"Alerts about {person.name}",
            query=f"member:{person.slug}",
            description=f"{person.name}: questions asked and answered, and speeches",
            parameters={"member": person.slug},
        )
    if value := parameters.get("debate", "").strip():
        section = DebateSection.objects.filter(id=int(value) if value.isdigit() else 0).first()
        if section is None:
            raise Http404("No such debate")
        return AlertSuggestion(
            heading="Alert me about debates like this",
            query=question_alert_query(heading=section.title),
            description=f"Debates like “{section.title}”",
            parameters={"debate": str(section.id)},
        )
    if value := parameters.get("question", "").strip():
        question = WrittenQuestion.objects.filter(id=int(value) if value.isdigit() else 0).first()
        if question is None:
            raise Http404("No such question")
        return AlertSuggestion(
            heading="Alert me about debates like this",
            query=question_alert_query(heading=question.heading),
            description=f"Debates like “{question.heading}”",
            parameters={"question": str(question.id)},
        )
    query = parameters.get("q", "").strip()
    return AlertSuggestion(
        heading="Get an email alert", query=query, parameters={"q": query} if query else {}
    )


def _department_options(department: Department) -> list[AlertOption]:
    return [
        AlertOption(
            value="department",
            label=f"Everything new from {department.name}",
            hint="Written questions and answers, debates, consultations and documents",
            kind=AlertKind.SEARCH,
            query=f"department:{department.slug}",
        ),
        AlertOption(
            value="consultations",
            label=f"New consultations from {department.name}",
            kind=AlertKind.SEARCH,
            query=f"type:consultation department:{department.slug}",
        ),
        AlertOption(
            value="closing",
            label=f"{department.name} consultations closing within 7 days",
            hint="A reminder a week before each one closes",
            kind=AlertKind.CLOSING,
            department=department,
        ),
        AlertOption(
            value="outcome",
            label=f"Outcomes of {department.name} consultations",
            hint="When the department publishes what it decided after a consultation",
            kind=AlertKind.OUTCOME,
            department=department,
        ),
    ]


def _consultation_suggestion(value: str) -> AlertSuggestion:
    lookup = Q(id=int(value)) if value.isdigit() else Q(slug=value)
    consultation = (
        Consultation.objects.filter(lookup, published_at__isnull=False)
        .select_related("department")
        .first()
    )
    if consultation is None:
        raise Http404("No such consultation")
    options = []
    if consultation_closing_reminder_possible(consultation=consultation):
        options.append(
            AlertOption(
                value="closing",
                label="A reminder 7 days before it closes",
                kind=AlertKind.CLOSING,
                consultation=consultation,
            )
        )
    if consultation.outcome_published_at is None:
        options.append(
            AlertOption(
                value="outcome",
                label="When the outcome is published",
                kind=AlertKind.OUTCOME,
                consultation=consultation,
            )
        )
    options.extend(
        option
        for option in _department_options(consultation.department)
        if option.value == "consultations"
    )
    return AlertSuggestion(
        heading=f"Alerts about “{consultation.title}”",
        options=options,
        parameters={"consultation": consultation.slug},
    )


def _policy_suggestion(value: str) -> AlertSuggestion:
    kind, _, slug = value.partition(":")
    consultation = document = None
    if kind == "consultation":
        consultation = Consultation.objects.filter(slug=slug, published_at__isnull=False).first()
    elif kind == "document":
        document = Document.objects.filter(slug=slug).first()
    subject = consultation or document
    if subject is None:
        raise Http404("No such policy")
    return AlertSuggestion(
        heading=f"Alert me about “{subject.title}”",
        options=[
            AlertOption(
                value="policy",
                label="Anything new on this policy",
                hint="Written questions and answers that mention it, consultations, the "
                "responses and each new version of the guidance",
                kind=AlertKind.POLICY,
                consultation=consultation,
                document=document,
            )
        ],
        parameters={"policy": f"{kind}:{slug}"},
    )


def consultation_closing_reminder_possible(
    *, consultation: Consultation, now: dt.datetime | None = None
) -> bool:
    """A reminder is only offered while the moment to send it is still ahead."""
    return consultation.closes_at - CLOSING_NOTICE > (now or timezone.now())


# --- people's alerts ----------------------------------------------------------------------


def alerts_of(*, subscriber: Subscriber) -> QuerySet[Alert]:
    return subscriber.alerts.select_related("consultation", "department", "document").order_by(
        "created_at", "id"
    )


def subscriber_for_manage(*, subscriber_id: int) -> Subscriber | None:
    return Subscriber.objects.filter(id=subscriber_id).first()


def alert_request_for_confirmation(*, request_id: int) -> AlertRequest | None:
    return (
        AlertRequest.objects.select_related("consultation", "department", "document")
        .filter(id=request_id)
        .first()
    )


def alert_confirmed_from_request(*, request_id: int | None) -> Alert | None:
    """The alert a confirmed request set up (None if it was never confirmed, or is gone)."""
    if request_id is None:
        return None
    confirmation = (
        AlertConfirmation.objects.select_related("alert").filter(request_id=request_id).first()
    )
    return confirmation.alert if confirmation else None


ALERT_PREVIEW_SIZE = 5


def alert_preview(*, query: str) -> SearchResults | None:
    """What a search alert's words find today, newest first: the most recent few, and how
    many in all (None for no words)."""
    if not query.strip():
        return None
    return search_results(query=query, sort="newest", page_size=ALERT_PREVIEW_SIZE)
