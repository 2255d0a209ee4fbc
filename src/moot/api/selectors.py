"""Reads for the API: what each list and resource shows, and nothing that is not public.

Consultations are published ones only (never drafts); summaries of responses are those
published with their consultation's outcome; nothing about respondents is ever read here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from moot.api.search import question_ids_matching
from moot.consultations.models import (
    Attachment,
    Consultation,
    ConsultationSection,
    ConsultationStatus,
    Document,
    DocumentRelation,
    DocumentVersion,
    ResponseSummary,
)
from moot.consultations.selectors import consultation_status_q, consultations_published
from moot.core.models import Department
from moot.parliament.models import (
    House,
    Membership,
    Party,
    Person,
    Post,
    WrittenAnswer,
    WrittenQuestion,
)
from moot.parliament.selectors import PEOPLE_WITH_OFFICES, PEOPLE_WITH_POSTS

# Each list's order: its last field is unique, so the cursor is exact.
QUESTION_ORDER = ("-date", "-id")
MEMBER_ORDER = ("slug",)
DEPARTMENT_ORDER = ("slug",)
CONSULTATION_ORDER = ("-opens_at", "-id")
DOCUMENT_ORDER = ("slug",)
SUMMARY_ORDER = ("-published_at", "-id")


def _one(queryset: QuerySet[Any], not_found: str, **lookup: Any) -> Any:
    """The one row of ``queryset`` matching ``lookup``; a 404 saying ``not_found`` if none."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(not_found) from None


_ANSWERED = WrittenAnswer.questions.through.objects.filter(writtenquestion_id=OuterRef("pk"))


def _people() -> QuerySet[Person]:
    return Person.objects.prefetch_related(PEOPLE_WITH_OFFICES, PEOPLE_WITH_POSTS)


def _questions() -> QuerySet[WrittenQuestion]:
    return WrittenQuestion.objects.select_related("department").prefetch_related(
        Prefetch("asking_person", queryset=_people()),
        Prefetch(
            "answers",
            queryset=WrittenAnswer.objects.select_related("department")
            .prefetch_related(
                Prefetch("answering_person", queryset=_people()),
                Prefetch("questions", queryset=WrittenQuestion.objects.order_by("position", "id")),
                "attachments",
            )
            .order_by("date_answered", "id"),
        ),
    )


def _answered_by(person: Person) -> Exists:
    return Exists(
        WrittenAnswer.questions.through.objects.filter(
            writtenquestion_id=OuterRef("pk"), writtenanswer__answering_person=person
        )
    )


def questions_for_api(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    department: Department | None = None,
    member: Person | None = None,
    asked_by: Person | None = None,
    answered_by: Person | None = None,
    house: str | None = None,
    answered: bool | None = None,
    q: str | None = None,
) -> QuerySet[WrittenQuestion]:
    """Written questions matching every filter given, with their answers and people.

    ``q`` is a search (through the search service, so it matches what the site's search
    does); ``SearchUnavailable`` if the search index is not ready.
    """
    questions = _questions()
    if q is not None:
        questions = questions.filter(id__in=question_ids_matching(query=q))
    if date_from is not None:
        questions = questions.filter(date__gte=date_from)
    if date_to is not None:
        questions = questions.filter(date__lte=date_to)
    if department is not None:
        questions = questions.filter(department=department)
    if house is not None:
        questions = questions.filter(house=house)
    if asked_by is not None:
        questions = questions.filter(asking_person=asked_by)
    if answered_by is not None:
        questions = questions.filter(_answered_by(answered_by))
    if member is not None:
        questions = questions.filter(Q(asking_person=member) | _answered_by(member))
    if answered is not None:
        questions = questions.filter(Exists(_ANSWERED) if answered else ~Exists(_ANSWERED))
    return questions


def question_for_api(*, date: dt.date, identifier: str) -> WrittenQuestion:
    return _one(
        _questions(),
        "No written question has that date and identifier.",
        date=date,
        identifier=identifier,
    )


def _members() -> QuerySet[Person]:
    return Person.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("party", "constituency").order_by(
                "-start_date", "-id"
            ),
        ),
        Prefetch(
            "posts",
            queryset=Post.objects.select_related("department").order_by("-start_date", "-id"),
        ),
    )


def members_for_api(
    *,
    house: str | None = None,
    party: Party | None = None,
    current: bool | None = None,
    today: dt.date | None = None,
) -> QuerySet[Person]:
    """People who sat in either House, with their seats and offices."""
    members = _members()
    seats = Membership.objects.filter(person=OuterRef("pk"))
    if house is not None:
        seats = seats.filter(house=House(house))
    if party is not None:
        seats = seats.filter(party=party)
    if house is not None or party is not None:
        members = members.filter(Exists(seats))
    if current is not None:
        day = today or timezone.localdate()
        held = Membership.objects.filter(person=OuterRef("pk"), start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )
        members = members.filter(Exists(held) if current else ~Exists(held))
    return members


def member_for_api(*, slug: str) -> Person:
    return _one(_members(), "No member has that slug.", slug=slug)


def departments_for_api(*, active: bool | None = None) -> QuerySet[Department]:
    departments = Department.objects.all()
    if active is not None:
        departments = departments.filter(is_active=active)
    return departments


def department_for_api(*, slug: str) -> Department:
    return _one(Department.objects.all(), "No department has that slug.", slug=slug)


def _consultations() -> QuerySet[Consultation]:
    return (
        consultations_published()
        .prefetch_related(
            Prefetch("sections", queryset=ConsultationSection.objects.order_by("position")),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.select_related("consultation").order_by(
                    "position", "id"
                ),
            ),
            Prefetch("documents", queryset=Document.objects.order_by("published_on", "slug")),
        )
        .select_related("response_summary")
    )


def consultations_for_api(
    *, status: str | None = None, department: Department | None = None
) -> QuerySet[Consultation]:
    """Published consultations only: a draft is never listed."""
    consultations = _consultations()
    if status is not None:
        consultations = consultations.filter(
            consultation_status_q(status=ConsultationStatus(status), now=timezone.now())
        )
    if department is not None:
        consultations = consultations.filter(department=department)
    return consultations


def consultation_for_api(*, slug: str) -> Consultation:
    return _one(_consultations(), "No consultation is published with that slug.", slug=slug)


def _documents() -> QuerySet[Document]:
    attachments = Attachment.objects.select_related("document_version__document").order_by(
        "position", "id"
    )
    return Document.objects.select_related("department", "consultation").prefetch_related(
        Prefetch(
            "versions",
            queryset=DocumentVersion.objects.order_by("-number").prefetch_related(
                Prefetch("attachments", queryset=attachments)
            ),
        ),
        Prefetch("outgoing_relations", queryset=DocumentRelation.objects.select_related("object")),
        Prefetch("incoming_relations", queryset=DocumentRelation.objects.select_related("subject")),
    )


def documents_for_api(
    *,
    kind: str | None = None,
    department: Department | None = None,
    consultation: Consultation | None = None,
) -> QuerySet[Document]:
    documents = _documents()
    if kind is not None:
        documents = documents.filter(kind=kind)
    if department is not None:
        documents = documents.filter(department=department)
    if consultation is not None:
        documents = documents.filter(consultation=consultation)
    return documents


def document_for_api(*, slug: str) -> Document:
    return _one(_documents(), "No document has that slug.", slug=slug)


def summaries_for_api(*, department: Department | None = None) -> QuerySet[ResponseSummary]:
    """Summaries of responses published with their consultation's outcome; no others."""
    summaries = ResponseSummary.objects.select_related("consultation").filter(
        published_at__isnull=False,
        consultation__published_at__isnull=False,
        consultation__outcome_published_at__isnull=False,
    )
    if department is not None:
        summaries = summaries.filter(consultation__department=department)
    return summaries


def summary_for_api(*, slug: str) -> ResponseSummary:
    return _one(
        summaries_for_api(),
        "No summary of responses is published for that consultation.",
        consultation__slug=slug,
    )
