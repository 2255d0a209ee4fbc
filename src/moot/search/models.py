"""The search change log, and where each machine's search index has got to in it.

The database is the system of record; each machine keeps its own search index by following
``SearchChange``, which database triggers write in the same transaction as the change itself
(see ``triggers.py``), so bulk updates, raw SQL and imports are never missed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now


class ChangeKind(models.TextChoices):
    """What changed. Questions, statements, debates, consultations and documents are searchable
    pages; the rest are mapped to the pages they feed when the change is applied (an answer
    to its questions, a person to the questions they asked or answered)."""

    QUESTION = "question", "written question"
    CONSULTATION = "consultation", "consultation"
    DOCUMENT = "document", "document"
    STATEMENT = "statement", "written statement"
    ANSWER = "answer", "written answer"
    DOCUMENT_VERSION = "document_version", "document version"
    PERSON = "person", "person"
    PARTY = "party", "party"
    DEPARTMENT = "department", "department"
    DEBATE = "debate", "debate"


class SearchChange(models.Model):
    """One insert, update or delete of a row that feeds search, in commit order.

    Ordered by (``transaction_id``, ``id``). On PostgreSQL ``transaction_id`` is the writing
    transaction's id, so a reader can tell which changes belong to transactions that have
    finished (see ``changes.py``); on SQLite, where writes are serialised, it is always 0.
    """

    id = models.BigAutoField(primary_key=True)
    transaction_id = models.BigIntegerField(db_default=0)
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    object_id = models.BigIntegerField()
    changed_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["transaction_id", "id"]
        indexes = [
            models.Index(fields=["transaction_id", "id"], name="search_change_order"),
            models.Index(fields=["changed_at"], name="search_change_changed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} (change {self.id})"


class SearchIndexReplica(models.Model):
    """A search index on one machine, and how far through the change log it has got.

    Each index reports its position after every pass; the change log is pruned up to the
    slowest index heard from within the retention period.
    """

    replica_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    path = models.CharField(max_length=1000)
    generation = models.CharField(max_length=100)
    position_transaction = models.BigIntegerField()
    position_change = models.BigIntegerField()
    documents = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["hostname", "path"]
        verbose_name = "search index replica"

    def __str__(self) -> str:
        return f"{self.hostname}:{self.path}"


class SearchChangeLogPruning(models.Model):
    """The single row saying how far the change log has been pruned. An index whose position
    is before this point has missed changes and is rebuilt."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    through_transaction = models.BigIntegerField(default=0)
    through_change = models.BigIntegerField(default=0)
    pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="search_pruning_single_row")]
        verbose_name = "search change log pruning"

    def __str__(self) -> str:
        return f"pruned through change {self.through_change}"
