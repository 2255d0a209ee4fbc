"""Writes of the policy app: finding mentions, and staff confirming or removing them."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from moot.consultations.models import Consultation, Document, DocumentVersion
from moot.core.errors import MootError
from moot.core.models import User
from moot.parliament.models import WrittenAnswer, WrittenQuestion, WrittenStatement
from moot.policy.finder import Catalogue, Found, Target, name_tokens, url_key
from moot.policy.models import Mention, MentionStatus, ScanCursor, ShortName
from moot.policy.selectors import (
    answer_mention_text,
    question_mention_text,
    statement_mention_text,
)

logger = logging.getLogger(__name__)

BATCH = 500
# Records saved up to this long before the cursor are looked at again, so that a slow
# import transaction that commits after a scan is still seen (finding again is a no-op).
LOOKBACK = dt.timedelta(minutes=10)
CURSOR = "records"


class MentionReviewRefused(MootError):
    """A confirm or remove that makes no sense (the mention was already so)."""


@dataclass
class RefreshCounts:
    records: int = 0
    created: int = 0
    moved: int = 0
    deleted: int = 0

    def add(self, other: RefreshCounts) -> None:
        self.records += other.records
        self.created += other.created
        self.moved += other.moved
        self.deleted += other.deleted


# --- the catalogue of what moot holds -----------------------------------------------------


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def catalogue_build() -> Catalogue:
    """Every published consultation and every document, with their short names, addresses
    and years, for ``Catalogue.find``."""
    site = str(settings.SITE_URL)
    shorts: dict[str, list[str]] = {}
    for name, document_id, consultation_id in ShortName.objects.values_list(
        "name", "document_id", "consultation_id"
    ):
        key = f"document:{document_id}" if document_id else f"consultation:{consultation_id}"
        shorts.setdefault(key, []).append(name)
    version_dates: dict[int, list[dt.date]] = {}
    for document_id, published_on in DocumentVersion.objects.values_list(
        "document_id", "published_on"
    ):
        version_dates.setdefault(document_id, []).append(published_on)
    targets = []
    for document in Document.objects.all():
        key = f"document:{document.pk}"
        dates = [*version_dates.get(document.pk, [])]
        if document.published_on:
            dates.append(document.published_on)
        targets.append(
            Target(
                key=key,
                titles=(document.title,),
                short_names=tuple(shorts.get(key, ())),
                urls=tuple(
                    u for u in (document.external_url, site + document.get_absolute_url()) if u
                ),
                years=frozenset(day.year for day in dates),
                available_on=min(dates) if dates else None,
                parent_key=f"consultation:{document.consultation_id}"
                if document.consultation_id
                else "",
            )
        )
    for consultation in Consultation.objects.filter(published_at__isnull=False):
        key = f"consultation:{consultation.pk}"
        opened = _local_date(min(consultation.published_at, consultation.opens_at))  # type: ignore[type-var]
        targets.append(
            Target(
                key=key,
                titles=(consultation.title,),
                short_names=tuple(shorts.get(key, ())),
                urls=tuple(
                    u
                    for u in (consultation.external_url, site + consultation.get_absolute_url())
                    if u
                ),
                years=frozenset({timezone.localtime(consultation.opens_at).year}),
                available_on=opened,
            )
        )
    return Catalogue(targets)


# --- finding mentions ---------------------------------------------------------------------


def _target_fields(key: str) -> dict[str, int]:
    field, _, pk = key.partition(":")
    return {f"{field}_id": int(pk)}


def _mention_target_key(mention: Mention) -> str:
    if mention.document_id:
        return f"document:{mention.document_id}"
    return f"consultation:{mention.consultation_id}"


@transaction.atomic
def _record_mentions_save(*, source: str, record_id: int, found: list[Found]) -> RefreshCounts:
    """Make a record's stored mentions what was found in it now, keeping staff decisions."""
    counts = RefreshCounts(records=1)
    existing = list(
        Mention.objects.select_for_update().filter(**{f"{source}_id": record_id}).order_by("id")
    )
    wanted = {(item.target_key, item.start): item for item in found}
    kept: set[tuple[str, int]] = set()
    unmatched: list[Mention] = []
    for mention in existing:
        place = (_mention_target_key(mention), mention.start)
        item = wanted.get(place)
        if item is not None and place not in kept:
            kept.add(place)
            if (mention.end, mention.matched_text, mention.kind) != (
                item.end,
                item.text[:500],
                item.kind,
            ):
                mention.end, mention.matched_text, mention.kind = (
                    item.end,
                    item.text[:500],
                    item.kind,
                )
                mention.save(update_fields=["end", "matched_text", "kind", "updated_at"])
        else:
            unmatched.append(mention)
    # The text changed around a mention: the same words naming the same thing elsewhere are
    # the same mention moved (and keep its review); the rest are gone from the text.
    for mention in unmatched:
        key = _mention_target_key(mention)
        moved = next(
            (
                item
                for place, item in wanted.items()
                if place not in kept and place[0] == key and item.text[:500] == mention.matched_text
            ),
            None,
        )
        if moved is None:
            mention.delete()
            counts.deleted += 1
            continue
        kept.add((key, moved.start))
        mention.start, mention.end, mention.kind = moved.start, moved.end, moved.kind
        mention.save(update_fields=["start", "end", "kind", "updated_at"])
        counts.moved += 1
    new = [
        Mention(
            **{f"{source}_id": record_id},
            **_target_fields(item.target_key),
            kind=item.kind,
            matched_text=item.text[:500],
            start=item.start,
            end=item.end,
        )
        for place, item in wanted.items()
        if place not in kept
    ]
    # Another worker finding the same record at the same moment inserts the same rows: the
    # unique constraint keeps one of each.
    Mention.objects.bulk_create(new, ignore_conflicts=True)
    counts.created += len(new)
    return counts


def mentions_refresh(
    *,
    question_ids: Iterable[int] = (),
    answer_ids: Iterable[int] = (),
    statement_ids: Iterable[int] = (),
    catalogue: Catalogue | None = None,
) -> RefreshCounts:
    """Find the mentions in these records again and store them.

    Idempotent: a record whose mentions are unchanged is left as it is. Each record is saved
    in its own transaction. A confirmed or removed mention keeps its review while its words
    stay in the text (even if they moved); a removed one is never suggested again there.
    """
    catalogue = catalogue or catalogue_build()
    counts = RefreshCounts()
    question_ids, answer_ids = sorted(set(question_ids)), sorted(set(answer_ids))
    for start in range(0, len(question_ids), BATCH):
        for question in WrittenQuestion.objects.filter(
            id__in=question_ids[start : start + BATCH]
        ).only("id", "text", "date", "date_tabled"):
            found = catalogue.find(
                question_mention_text(question), on=question.date_tabled or question.date
            )
            counts.add(_record_mentions_save(source="question", record_id=question.pk, found=found))
    for start in range(0, len(answer_ids), BATCH):
        for answer in WrittenAnswer.objects.filter(id__in=answer_ids[start : start + BATCH]).only(
            "id", "body_html", "date_answered"
        ):
            found = catalogue.find(answer_mention_text(answer), on=answer.date_answered)
            counts.add(_record_mentions_save(source="answer", record_id=answer.pk, found=found))
    statement_ids = sorted(set(statement_ids))
    for start in range(0, len(statement_ids), BATCH):
        for statement in WrittenStatement.objects.filter(
            id__in=statement_ids[start : start + BATCH]
        ).only("id", "body_html", "date"):
            found = catalogue.find(statement_mention_text(statement), on=statement.date)
            counts.add(
                _record_mentions_save(source="statement", record_id=statement.pk, found=found)
            )
    return counts


def mentions_refresh_all() -> RefreshCounts:
    """Every record looked at again (the demo, and after a change of the finder's rules)."""
    return mentions_refresh(
        question_ids=WrittenQuestion.objects.values_list("id", flat=True),
        answer_ids=WrittenAnswer.objects.values_list("id", flat=True),
        statement_ids=WrittenStatement.objects.values_list("id", flat=True),
    )


def _distinctive_word(name: str) -> str:
    return max(name_tokens(name), key=len, default="")


def records_possibly_naming(
    *, document_ids: Sequence[int] = (), consultation_ids: Sequence[int] = ()
) -> tuple[list[int], list[int], list[int]]:
    """The questions, answers and statements that may name these (their rarest-looking word or their
    address is in the text), and those that named them before: what to look at again when
    a document or consultation is added or renamed."""
    words: set[str] = set()
    documents = Document.objects.filter(id__in=document_ids)
    consultations = Consultation.objects.filter(id__in=consultation_ids)
    names = [
        *documents.values_list("title", flat=True),
        *consultations.values_list("title", flat=True),
        *ShortName.objects.filter(
            Q(document_id__in=document_ids) | Q(consultation_id__in=consultation_ids)
        ).values_list("name", flat=True),
    ]
    words.update(word for name in names if (word := _distinctive_word(name)))
    urls = [
        url_key(url)
        for url in [
            *documents.values_list("external_url", flat=True),
            *consultations.values_list("external_url", flat=True),
        ]
        if url
    ]
    question_filter, body_filter = Q(pk__in=[]), Q(pk__in=[])
    for word in words:
        question_filter |= Q(text__icontains=word)
        body_filter |= Q(body_html__icontains=word)
    for url in urls:
        tail = url.rsplit("/", 1)[-1] or url
        question_filter |= Q(text__icontains=tail)
        body_filter |= Q(body_html__icontains=tail)
    before = Mention.objects.filter(
        Q(document_id__in=document_ids) | Q(consultation_id__in=consultation_ids)
    )
    question_ids = set(WrittenQuestion.objects.filter(question_filter).values_list("id", flat=True))
    question_ids.update(before.filter(question__isnull=False).values_list("question_id", flat=True))
    answer_ids = set(WrittenAnswer.objects.filter(body_filter).values_list("id", flat=True))
    answer_ids.update(before.filter(answer__isnull=False).values_list("answer_id", flat=True))
    statement_ids = set(WrittenStatement.objects.filter(body_filter).values_list("id", flat=True))
    statement_ids.update(
        before.filter(statement__isnull=False).values_list("statement_id", flat=True)
    )
    return sorted(question_ids), sorted(answer_ids), sorted(statement_ids)


def mentions_refresh_for_targets(
    *, document_ids: Sequence[int] = (), consultation_ids: Sequence[int] = ()
) -> RefreshCounts:
    """Look again at every record that may name these documents or consultations."""
    question_ids, answer_ids, statement_ids = records_possibly_naming(
        document_ids=document_ids, consultation_ids=consultation_ids
    )
    return mentions_refresh(
        question_ids=question_ids, answer_ids=answer_ids, statement_ids=statement_ids
    )


@dataclass
class ScanReport:
    questions: int = 0
    answers: int = 0
    statements: int = 0
    documents: int = 0
    consultations: int = 0
    tasks: int = 0


def mentions_scan(*, now: dt.datetime | None = None) -> ScanReport:
    """The periodic job: queue a task to find mentions in every record saved since the last
    scan, and one to look again at records that may name any document or consultation
    added or changed since. Safe to rerun: the tasks are idempotent, and the cursor moves
    only after everything is queued (in the same transaction, with the database queue)."""
    from moot.policy.tasks import find_mentions, find_mentions_of

    now = now or timezone.now()
    report = ScanReport()
    with transaction.atomic():
        cursor = ScanCursor.objects.select_for_update().filter(name=CURSOR).first()
        since = (cursor.position - LOOKBACK) if cursor else dt.datetime.min.replace(tzinfo=dt.UTC)
        changed = Q(updated_at__gt=since, updated_at__lte=now)
        question_ids = list(WrittenQuestion.objects.filter(changed).values_list("id", flat=True))
        answer_ids = list(WrittenAnswer.objects.filter(changed).values_list("id", flat=True))
        statement_ids = list(WrittenStatement.objects.filter(changed).values_list("id", flat=True))
        longest = max(len(question_ids), len(answer_ids), len(statement_ids))
        for start in range(0, longest, BATCH):
            find_mentions.enqueue(
                question_ids=question_ids[start : start + BATCH],
                answer_ids=answer_ids[start : start + BATCH],
                statement_ids=statement_ids[start : start + BATCH],
            )
            report.tasks += 1
        report.questions, report.answers = len(question_ids), len(answer_ids)
        report.statements = len(statement_ids)
        if cursor is not None:  # on the first scan every record is being looked at anyway
            document_ids = set(Document.objects.filter(changed).values_list("id", flat=True))
            document_ids.update(
                DocumentVersion.objects.filter(changed).values_list("document_id", flat=True)
            )
            consultation_ids = set(
                Consultation.objects.filter(changed).values_list("id", flat=True)
            )
            for document_id, consultation_id in ShortName.objects.filter(changed).values_list(
                "document_id", "consultation_id"
            ):
                if document_id:
                    document_ids.add(document_id)
                else:
                    consultation_ids.add(consultation_id)
            if document_ids or consultation_ids:
                find_mentions_of.enqueue(
                    document_ids=sorted(document_ids), consultation_ids=sorted(consultation_ids)
                )
                report.tasks += 1
            report.documents, report.consultations = len(document_ids), len(consultation_ids)
        ScanCursor.objects.update_or_create(name=CURSOR, defaults={"position": now})
    return report


# --- staff review -------------------------------------------------------------------------


@transaction.atomic
def mention_review(*, mention: Mention, status: MentionStatus, by: User) -> Mention:
    """Confirm or remove a suggested (or earlier reviewed) mention. Atomic, under a row lock;
    refuses to set the status it already has, so a double click records one review."""
    if status not in (MentionStatus.CONFIRMED, MentionStatus.REMOVED):
        raise MentionReviewRefused("A mention can only be confirmed or removed.")
    locked = Mention.objects.select_for_update().get(pk=mention.pk)
    if locked.status == status:
        raise MentionReviewRefused(f"This mention is already {status.label.lower()}.")
    locked.status = status
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return locked
