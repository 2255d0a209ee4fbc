"""Reading the search change log in commit order, and mapping changes to the pages to redo.

Order and completeness. An index records a ``Cursor``: the (transaction id, change id) of
the last change it applied. Reading on from there must never skip a change that commits
later. On SQLite writes are serialised, so change ids become visible in order and the
transaction id is always 0. On PostgreSQL a transaction that started earlier can commit a
*lower* change id after a later one is already visible, so ids alone are not enough: each
change carries its transaction's id, and a reader only takes changes of transactions older
than the *horizon* — the oldest transaction still running in this database, or the next
transaction id if none is. Everything older has finished, so nothing can appear behind
the cursor later. Transactions in other databases on the same server do not hold the
horizon back. (Prepared two-phase transactions are not considered; moot does not use them.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from moot.consultations.models import Consultation, Document, DocumentVersion
from moot.parliament.models import (
    DebateSection,
    Membership,
    Speech,
    WrittenAnswer,
    WrittenQuestion,
    WrittenStatement,
)
from moot.search.models import ChangeKind, SearchChange, SearchChangeLogPruning

# Larger than any real change id: (t, MAX_ID) is "everything of transaction t".
MAX_ID = 2**63 - 1


@dataclass(frozen=True, order=True)
class Cursor:
    transaction: int
    change: int

    def after(self) -> tuple[Q, Q]:
        """The changes after this cursor, as two filters to run apart: the rest of its
        transaction, then later transactions. Each is one range of the (transaction_id,
        id) index on both databases, when read in log order. Neither database can do that
        with one condition: an OR of the two makes PostgreSQL scan the table, and SQLite
        answers a row comparison (or the OR) by reading every change of the cursor's
        transaction, which on SQLite, where all changes are transaction 0, is the whole
        log."""
        return (
            Q(transaction_id=self.transaction, id__gt=self.change),
            Q(transaction_id__gt=self.transaction),
        )

    def up_to(self) -> RawSQL:
        """A filter for the changes up to and including this cursor."""
        return self._compare("<=")

    def _compare(self, operator: str) -> RawSQL:
        return RawSQL(  # noqa: S611 - the values are bound parameters
            f'("transaction_id", "id") {operator} (%s, %s)',
            (self.transaction, self.change),
            output_field=BooleanField(),
        )


START = Cursor(0, 0)


def _full_transaction_id(xid32: int, reference64: int) -> int:
    """Widen a 32-bit transaction id seen in ``pg_stat_activity`` to 64 bits, given a
    64-bit id within 2**31 of it, before or after: a transaction can take its id between
    the snapshot that gave the reference and the read of ``pg_stat_activity``."""
    difference = (xid32 - reference64) % 2**32
    if difference >= 2**31:
        difference -= 2**32
    return reference64 + difference


def horizon() -> int | None:
    """Changes of transactions below this id are final; ``None`` means all are (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        # Statistics views are cached per transaction; make sure this read is fresh.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint, "
            "array(SELECT backend_xid::text FROM pg_stat_activity "
            "WHERE datname = current_database() AND backend_xid IS NOT NULL "
            # Only sessions run SQL that fires triggers; autovacuum's ANALYZE takes ids too.
            "AND backend_type = 'client backend')"
        )
        next_id, running = cursor.fetchone()
    return min([next_id, *(_full_transaction_id(int(xid), next_id) for xid in running)])


def changes_after(cursor: Cursor, *, limit: int) -> list[SearchChange]:
    """The next changes after ``cursor`` that are final, in order."""
    final_before = horizon()
    found: list[SearchChange] = []
    for condition in cursor.after():
        queryset = SearchChange.objects.filter(condition)
        if final_before is not None:
            queryset = queryset.filter(transaction_id__lt=final_before)
        found += queryset.order_by("transaction_id", "id")[: limit - len(found)]
        if len(found) >= limit:
            break
    return found


def has_changes_after(cursor: Cursor) -> bool:
    """Whether any change after ``cursor`` is visible (final or not): a cheap first check."""
    # First in log order rather than exists(), which drops the ordering: with it PostgreSQL
    # may choose to scan the table from its oldest rows, where the newest changes are last.
    return any(
        SearchChange.objects.filter(condition)
        .order_by("transaction_id", "id")
        .values_list("id", flat=True)
        .first()
        is not None
        for condition in cursor.after()
    )


def head() -> Cursor:
    """A cursor covering every final change now. A full rebuild that starts reading the
    database after taking it reflects all those changes, and follows the log from it."""
    final_before = horizon()
    if final_before is not None:
        return Cursor(final_before - 1, MAX_ID)
    last = SearchChange.objects.order_by("-id").values_list("id", flat=True).first()
    # An empty log may have been pruned: ids carry on from where pruning left off.
    return max(Cursor(0, last or 0), pruned_through())


def pruned_through() -> Cursor:
    row = SearchChangeLogPruning.objects.filter(id=1).first()
    return Cursor(row.through_transaction, row.through_change) if row else START


def cursor_of(change: SearchChange) -> Cursor:
    return Cursor(change.transaction_id, change.id)


# --- Which pages a change affects --------------------------------------------------------


def _questions_of_people(person_ids: set[int]) -> set[int]:
    asked = WrittenQuestion.objects.filter(asking_person_id__in=person_ids).values_list(
        "id", flat=True
    )
    answered = WrittenAnswer.questions.through.objects.filter(
        writtenanswer__answering_person_id__in=person_ids
    ).values_list("writtenquestion_id", flat=True)
    return {*asked, *answered}


def affected_keys(changes: Iterable[SearchChange]) -> set[str]:
    """The search document keys ("question:12") whose pages the changes may have altered.

    Pages that no longer exist are included: applying them deletes them from the index.
    """
    ids: dict[str, set[int]] = defaultdict(set)
    for change in changes:
        ids[change.kind].add(change.object_id)
    questions = set(ids[ChangeKind.QUESTION])
    statements = set(ids[ChangeKind.STATEMENT])
    consultations = set(ids[ChangeKind.CONSULTATION])
    documents = set(ids[ChangeKind.DOCUMENT])
    debates = set(ids[ChangeKind.DEBATE])
    through = WrittenAnswer.questions.through.objects
    if ids[ChangeKind.ANSWER]:
        questions.update(
            through.filter(writtenanswer_id__in=ids[ChangeKind.ANSWER]).values_list(
                "writtenquestion_id", flat=True
            )
        )
    if ids[ChangeKind.DOCUMENT_VERSION]:
        documents.update(
            DocumentVersion.objects.filter(id__in=ids[ChangeKind.DOCUMENT_VERSION]).values_list(
                "document_id", flat=True
            )
        )
    people = set(ids[ChangeKind.PERSON])
    if ids[ChangeKind.PARTY]:
        people.update(
            Membership.objects.filter(party_id__in=ids[ChangeKind.PARTY]).values_list(
                "person_id", flat=True
            )
        )
    if people:
        questions.update(_questions_of_people(people))
        debates.update(
            Speech.objects.filter(speaker_id__in=people).values_list("section_id", flat=True)
        )
        statements.update(
            WrittenStatement.objects.filter(person_id__in=people).values_list("id", flat=True)
        )
    if departments := ids[ChangeKind.DEPARTMENT]:
        questions.update(
            WrittenQuestion.objects.filter(department_id__in=departments).values_list(
                "id", flat=True
            )
        )
        questions.update(
            through.filter(writtenanswer__department_id__in=departments).values_list(
                "writtenquestion_id", flat=True
            )
        )
        statements.update(
            WrittenStatement.objects.filter(department_id__in=departments).values_list(
                "id", flat=True
            )
        )
        consultations.update(
            Consultation.objects.filter(department_id__in=departments).values_list("id", flat=True)
        )
        documents.update(
            Document.objects.filter(department_id__in=departments).values_list("id", flat=True)
        )
        debates.update(
            DebateSection.objects.filter(department_id__in=departments).values_list("id", flat=True)
        )
    return (
        {f"question:{pk}" for pk in questions}
        | {f"consultation:{pk}" for pk in consultations}
        | {f"document:{pk}" for pk in documents}
        | {f"debate:{pk}" for pk in debates}
        | {f"statement:{pk}" for pk in statements}
    )
