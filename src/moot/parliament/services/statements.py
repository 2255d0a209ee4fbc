"""Saving imported written statements in batches, keeping each replaced version.

Both statement importers (ParlParse and the UK Parliament API) decide what is new, changed
or unchanged by content hash; these functions write a batch of those decisions in a
handful of queries, whatever its size.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from moot.parliament.models import WrittenStatement, WrittenStatementRevision
from moot.parliament.services.bulk import model_rows_insert
from moot.parliament.services.records import WRITE_BATCH, question_identifier, snapshot

# The fields importers own. A revision keeps these as they were before an update.
STATEMENT_FIELDS = (
    "house",
    "uin",
    "title",
    "department_id",
    "person_id",
    "speaker_name",
    "speaker_id",
    "member_role",
    "body_html",
    "source_id",
    "source_url",
    "column",
    "position",
    "source_version",
    "content_hash",
)

_NOT_A_NUMBER = re.compile(r"[^a-z0-9]+")


def statement_identifier(*, title: str, number: str, taken: set[str]) -> str:
    """``safeguarding-children-hcws123``: the title's first words, then the statement's
    number (or, before statements had numbers, its place in the record). Stable across
    versions, unique within the day (``taken`` holds the day's identifiers, and gets it)."""
    return question_identifier(heading=title, number=number, taken=taken)


def statement_rows_insert(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert new statements given as {attname: value}; their ids by source id."""
    return model_rows_insert(WrittenStatement, rows, key="source_id")


def statements_save(
    *, changed: dict[int, dict[str, Any]], refreshed: dict[int, dict[str, Any]] | None = None
) -> None:
    """Update ``changed`` (id to field values), keeping what each held as a revision, and
    ``refreshed`` (same content under a newer source id or version) without one."""
    refreshed = refreshed or {}
    if not changed and not refreshed:
        return
    rows = WrittenStatement.objects.in_bulk([*changed, *refreshed])
    now = timezone.now()
    WrittenStatementRevision.objects.bulk_create(
        [
            WrittenStatementRevision(
                statement_id=pk,
                replaced_at=now,
                source_id=rows[pk].source_id or "",
                source_version=rows[pk].source_version,
                content_hash=rows[pk].content_hash,
                content=snapshot(rows[pk], STATEMENT_FIELDS),
            )
            for pk in changed
            if pk in rows
        ],
        batch_size=WRITE_BATCH,
    )
    updated: set[str] = set()
    for pk, values in (*changed.items(), *refreshed.items()):
        row = rows.get(pk)
        if row is None:
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = now
        updated.update(values)
    by_attname = {f.attname: f.name for f in WrittenStatement._meta.concrete_fields}
    names = sorted(by_attname[name] for name in updated)
    WrittenStatement.objects.bulk_update(
        list(rows.values()), [*names, "updated_at"], batch_size=WRITE_BATCH
    )
