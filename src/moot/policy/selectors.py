"""Reads of the policy app: the mentions a page shows, the records that mention a document
or consultation, and which mentions a member of staff may review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from moot.consultations.models import Consultation, Document
from moot.core.html import sanitise_html
from moot.core.models import Department
from moot.core.permissions import (
    AccessRefused,
    Capability,
    is_staff_member,
    user_can,
    user_capabilities,
)
from moot.parliament.models import WrittenAnswer, WrittenQuestion, WrittenStatement
from moot.policy.models import Mention, MentionStatus
from moot.policy.text import html_text, question_text

Target = Document | Consultation


def question_mention_text(question: WrittenQuestion) -> str:
    """The text a question's mentions count positions in."""
    return question_text(question.text)


def answer_mention_text(answer: WrittenAnswer) -> str:
    """The text an answer's mentions count positions in (the page shows the same HTML)."""
    return html_text(sanitise_html(answer.body_html))


def statement_mention_text(statement: WrittenStatement) -> str:
    """The text a statement's mentions count positions in: its body, as its page shows it."""
    return html_text(sanitise_html(statement.body_html))


def _shown() -> QuerySet[Mention]:
    """Mentions a reader sees: not removed by staff, and of something public."""
    return (
        Mention.objects.exclude(status=MentionStatus.REMOVED)
        .filter(Q(document__isnull=False) | Q(consultation__published_at__isnull=False))
        .select_related("document", "consultation")
    )


def mentions_in(
    *,
    question_ids: Iterable[int] = (),
    answer_ids: Iterable[int] = (),
    statement_ids: Iterable[int] = (),
) -> list[Mention]:
    """The shown mentions in these questions, answers and statements, in text order."""
    return list(
        _shown()
        .filter(
            Q(question_id__in=list(question_ids))
            | Q(answer_id__in=list(answer_ids))
            | Q(statement_id__in=list(statement_ids))
        )
        .order_by("start", "id")
    )


def targets_of(mentions: Iterable[Mention]) -> list[Target]:
    """The distinct documents and consultations named, in the order first named."""
    seen: dict[tuple[str, int], Target] = {}
    for mention in mentions:
        target = mention.target
        if target is not None:
            seen.setdefault((type(target).__name__, target.pk), target)
    return list(seen.values())


@dataclass
class ParliamentRecord:
    """A written question (with its answer) or a written statement that mentions
    something, and the words it uses."""

    date: dt.date
    question: WrittenQuestion | None = None
    answer: WrittenAnswer | None = None
    statement: WrittenStatement | None = None
    words: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def record(self) -> WrittenQuestion | WrittenStatement:
        record = self.statement or self.question
        assert record is not None  # noqa: S101 - every record has one or the other
        return record

    @property
    def key(self) -> str:
        return f"{'statement' if self.statement else 'question'}:{self.record.pk}"

    @property
    def title(self) -> str:
        return self.statement.title if self.statement else self.record.heading  # type: ignore[union-attr]

    @property
    def url(self) -> str:
        return self.record.get_absolute_url()

    @property
    def label(self) -> str:
        if self.statement is not None:
            return "Written statement"
        return "Written answer" if self.answer is not None else "Written question"

    @property
    def department(self) -> Department | None:
        return self.record.department


def mentioning_records(
    *, documents: Iterable[Document] = (), consultations: Iterable[Consultation] = ()
) -> list[ParliamentRecord]:
    """The questions and statements whose text (or answer) mentions any of these, newest
    first."""
    document_ids = [document.pk for document in documents]
    consultation_ids = [consultation.pk for consultation in consultations]
    mentions = list(
        _shown()
        .filter(Q(document_id__in=document_ids) | Q(consultation_id__in=consultation_ids))
        .select_related("question__department", "answer__department", "statement__department")
        .order_by("id")
    )
    answer_questions: dict[int, WrittenQuestion] = {}
    answer_ids = [m.answer_id for m in mentions if m.answer_id]
    if answer_ids:
        through = WrittenAnswer.questions.through.objects.filter(
            writtenanswer_id__in=answer_ids
        ).select_related("writtenquestion__department")
        for row in through.order_by("writtenquestion__position", "writtenquestion_id"):
            answer_questions.setdefault(row.writtenanswer_id, row.writtenquestion)
    records: dict[str, ParliamentRecord] = {}
    for mention in mentions:
        if mention.statement is not None:
            record = records.setdefault(
                f"statement:{mention.statement.pk}",
                ParliamentRecord(date=mention.statement.date, statement=mention.statement),
            )
        elif mention.answer is not None:
            question = answer_questions.get(mention.answer.pk)
            if question is None:
                continue
            record = records.setdefault(
                f"question:{question.pk}", ParliamentRecord(date=question.date, question=question)
            )
            record.answer = record.answer or mention.answer
            record.date = mention.answer.date_answered
        elif mention.question is not None:
            record = records.setdefault(
                f"question:{mention.question.pk}",
                ParliamentRecord(date=mention.question.date, question=mention.question),
            )
        else:
            continue
        record.mentions.append(mention)
        if mention.matched_text not in record.words:
            record.words.append(mention.matched_text)
    return sorted(records.values(), key=lambda r: (r.date, r.key), reverse=True)


# --- staff --------------------------------------------------------------------------------


def mentions_visible_to(*, user: object) -> QuerySet[Mention]:
    """The mentions ``user`` may review: those in records of their department (the
    department a question was put to, that answered, or that made a statement) or naming
    their department's documents and consultations. Editors review them; superusers review all."""
    queryset = Mention.objects.select_related(
        "question__department",
        "answer__department",
        "statement__department",
        "document__department",
        "consultation__department",
        "reviewed_by",
    )
    if not is_staff_member(user):
        return queryset.none()
    if getattr(user, "is_superuser", False):
        return queryset
    department_id = getattr(user, "department_id", None)
    if department_id is None or Capability.CONTENT not in user_capabilities(user=user):
        return queryset.none()
    return queryset.filter(
        Q(question__department_id=department_id)
        | Q(answer__department_id=department_id)
        | Q(statement__department_id=department_id)
        | Q(document__department_id=department_id)
        | Q(consultation__department_id=department_id)
    )


def mention_departments(mention: Mention) -> set[int]:
    owners = [
        mention.question.department_id if mention.question else None,
        mention.answer.department_id if mention.answer else None,
        mention.statement.department_id if mention.statement else None,
        mention.document.department_id if mention.document else None,
        mention.consultation.department_id if mention.consultation else None,
    ]
    return {owner for owner in owners if owner is not None}


def mention_for_staff(*, user: object, mention_id: int) -> Mention:
    """The mention, if ``user`` may review it: 404 when there is none, 403 (audited by the
    middleware) when it belongs to other departments."""
    mention = (
        Mention.objects.select_related("question", "answer", "document", "consultation")
        .filter(pk=mention_id)
        .first()
    )
    if mention is None:
        raise Http404("No such mention")
    allowed = (is_staff_member(user) and getattr(user, "is_superuser", False)) or any(
        user_can(user=user, capability=Capability.CONTENT, department_id=department_id)
        for department_id in mention_departments(mention)
    )
    if not allowed:
        raise AccessRefused(
            "Your account cannot review mentions of another department.",
            capability=Capability.CONTENT,
            record_ids=[mention.pk],
        )
    return mention


def mentions_for_review(*, user: object, status: str = "") -> QuerySet[Mention]:
    queryset = mentions_visible_to(user=user)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


@dataclass
class MentionInContext:
    """A mention as staff review it: the words with the text around them."""

    mention: Mention
    record: WrittenQuestion | WrittenAnswer | WrittenStatement | None
    question: WrittenQuestion | None
    title: str  # of the page the record is on
    url: str
    before: str
    words: str
    after: str


CONTEXT_CHARACTERS = 120


def mention_in_context(mention: Mention) -> MentionInContext:
    question: WrittenQuestion | None = mention.question
    title, url = "", ""
    if mention.statement is not None:
        text = statement_mention_text(mention.statement)
        title, url = mention.statement.title, mention.statement.get_absolute_url()
    elif mention.answer is not None:
        text = answer_mention_text(mention.answer)
        question = mention.answer.questions.order_by("position", "id").first()
    elif mention.question is not None:
        text = question_mention_text(mention.question)
    else:
        text = ""
    if question is not None:
        title, url = question.heading, question.get_absolute_url()
    start, end = mention.start, mention.end
    before = text[max(0, start - CONTEXT_CHARACTERS) : start]
    after = text[end : end + CONTEXT_CHARACTERS]
    return MentionInContext(
        mention=mention,
        record=mention.source,
        question=question,
        title=title,
        url=url,
        before=("…" if start > CONTEXT_CHARACTERS else "") + before,
        words=text[start:end],
        after=after + ("…" if end + CONTEXT_CHARACTERS < len(text) else ""),
    )
