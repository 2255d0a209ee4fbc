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
    DebateSection,
    Membership,
    Party,
    Person,
    Post,
    Speech,
    WrittenAnswer,
    WrittenQuestion,
)
from moot.search.models import SearchChange

# Every model a dataset reads; each has ``updated_at``.
ROW_SOURCES: tuple[type[Model], ...] = (
    Department,
    Person,
    Party,
    Constituency,
    Membership,
    Post,
    WrittenQuestion,
    WrittenAnswer,
    AnswerVote,
    DebateSection,
    Speech,
    Consultation,
    ConsultationSection,
    Attachment,
    Document,
    DocumentVersion,
    ResponseSummary,
)


@dataclass(frozen=True)
class DataChanges:
    """What the exported data's changes look like now.

    ``latest`` is the newest change of all; ``log_position`` the newest change-log id. The
    ``pending_*`` times are those of the changes after the ``since`` time and
    ``after_change`` log id asked about (None when there are none).
    """

    latest: dt.datetime | None
    log_position: int
    pending_earliest: dt.datetime | None
    pending_latest: dt.datetime | None

    @property
    def pending(self) -> bool:
        return self.pending_latest is not None


def open_data_changes(
    *, since: dt.datetime | None = None, after_change: int | None = None
) -> DataChanges:
    """When the exported data last changed, and which changes came after ``since`` (rows
    updated later) or after the change-log id ``after_change``.

    The log is followed by id, not time: on PostgreSQL a change's ``changed_at`` is when its
    transaction began, which may be before an export that did not see it. One aggregate
    query per table; ``updated_at`` is indexed on the big tables (questions, answers), the
    log on its id.
    """
    latest: list[dt.datetime] = []
    pending: list[dt.datetime] = []
    for model in ROW_SOURCES:
        aggregates: dict[str, Aggregate] = {"latest": Max("updated_at")}
        if since is not None:
            aggregates["earliest"] = Min("updated_at", filter=Q(updated_at__gt=since))
        row = model._default_manager.aggregate(**aggregates)
        if row["latest"] is not None:
            latest.append(row["latest"])
        if row.get("earliest") is not None:
            pending += [row["earliest"], row["latest"]]
    log = SearchChange.objects.aggregate(position=Max("id"), latest=Max("changed_at"))
    if log["latest"] is not None:
        latest.append(log["latest"])
    if after_change is not None:
        after = SearchChange.objects.filter(id__gt=after_change).aggregate(
            earliest=Min("changed_at"), latest=Max("changed_at")
        )
        pending += [time for time in after.values() if time is not None]
    return DataChanges(
        latest=max(latest, default=None),
        log_position=log["position"] or 0,
        pending_earliest=min(pending, default=None),
        pending_latest=max(pending, default=None),
    )
