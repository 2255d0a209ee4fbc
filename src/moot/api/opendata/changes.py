"""When the data behind the open-data export last changed, so the worker can refresh the
export soon after an import or a publication instead of the next night.

Two sources, both already kept for other reasons (no second change log):

- the ``updated_at`` of every row a dataset is made from, which shows inserts and updates,
  including readers' votes and the posts and summaries that search does not follow;
- the search change log (``SearchChange``, written by database triggers in the same
  transaction as the change), which also shows deletions, as when a newer version of a
  ParlParse file removes a record. No ``updated_at`` can show a row that is gone.

The log is pruned about hourly once every search index has applied it, so a deletion
that nothing else accompanies could in the worst case be pruned before the check sees it;
the nightly export still catches that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Aggregate, Max, Min, Model, Q

from moot.consultations.models import (
    Attachment,
    Consultation,
    ConsultationSection,
    Document,
    DocumentVersion,
    ResponseSummary,
)
from moot.core.models import Department
from moot.parliament.models import (
    AnswerVote,
    Constituency,
    Membership,
    Party,
    Person,
    Post,
    WrittenAnswer,
    WrittenQuestion,
)
from moot.search.models import SearchChange

# Every model a dataset reads, with the field that says when a row last changed.
SOURCES: tuple[tuple[type[Model], str], ...] = (
    (Department, "updated_at"),
    (Person, "updated_at"),
    (Party, "updated_at"),
    (Constituency, "updated_at"),
    (Membership, "updated_at"),
    (Post, "updated_at"),
    (WrittenQuestion, "updated_at"),
    (WrittenAnswer, "updated_at"),
    (AnswerVote, "updated_at"),
    (Consultation, "updated_at"),
    (ConsultationSection, "updated_at"),
    (Attachment, "updated_at"),
    (Document, "updated_at"),
    (DocumentVersion, "updated_at"),
    (ResponseSummary, "updated_at"),
    (SearchChange, "changed_at"),
)


@dataclass(frozen=True)
class DataChanges:
    """The newest change to the exported data, and the oldest one after a given time."""

    latest: dt.datetime | None
    earliest_since: dt.datetime | None


def open_data_changes(*, since: dt.datetime | None = None) -> DataChanges:
    """When the exported data last changed, and when it first changed after ``since``.

    One aggregate query per source table; ``updated_at`` is indexed on the big tables
    (questions, answers) and the change log is indexed on ``changed_at``.
    """
    latest: list[dt.datetime] = []
    earliest: list[dt.datetime] = []
    for model, field in SOURCES:
        aggregates: dict[str, Aggregate] = {"latest": Max(field)}
        if since is not None:
            aggregates["earliest"] = Min(field, filter=Q(**{f"{field}__gt": since}))
        row = model._default_manager.aggregate(**aggregates)
        if row["latest"] is not None:
            latest.append(row["latest"])
        if row.get("earliest") is not None:
            earliest.append(row["earliest"])
    return DataChanges(
        latest=max(latest, default=None),
        earliest_since=min(earliest, default=None) if since is not None else None,
    )
