"""Saving imported questions and answers in batches, keeping each replaced version.

Importers decide what is new, changed or unchanged (by content hash); these functions write
a batch of such decisions with a handful of queries, whatever its size.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from moot.parliament.models import (
    WrittenAnswer,
    WrittenAnswerRevision,
    WrittenQuestion,
    WrittenQuestionRevision,
)
from moot.parliament.services.bulk import rows_insert

WRITE_BATCH = 1000

# The fields importers own. A revision keeps these as they were before an update.
QUESTION_FIELDS = (
    "house",
    "uin",
    "other_uins",
    "heading",
    "department_id",
    "asking_person_id",
    "asking_name",
    "asking_speaker_id",
    "text",
    "date_tabled",
    "date_for_answer",
    "is_named_day",
    "is_withdrawn",
    "source_id",
    "source_url",
    "column",
    "position",
    "source_version",
    "content_hash",
)
ANSWER_FIELDS = (
    "date_answered",
    "answering_person_id",
    "answering_name",
    "answering_speaker_id",
    "department_id",
    "body_html",
    "is_holding",
    "holding_answer_date",
    "corrects_id",
    "source_id",
    "source_url",
    "column",
    "source_version",
    "content_hash",
)

Row = TypeVar("Row", WrittenQuestion, WrittenAnswer)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def snapshot(row: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {field: _json_value(getattr(row, field)) for field in fields}


def _save(
    model: type[Row],
    *,
    fields: tuple[str, ...],
    revision: type[WrittenQuestionRevision] | type[WrittenAnswerRevision],
    owner: str,
    new: list[Row],
    changed: dict[int, dict[str, Any]],
    refreshed: dict[int, dict[str, Any]],
) -> None:
    model.objects.bulk_create(new, batch_size=WRITE_BATCH)
    if not changed and not refreshed:
        return
    rows = model.objects.in_bulk([*changed, *refreshed])
    now = timezone.now()
    revisions: list[Any] = [
        revision(
            **{f"{owner}_id": pk},
            replaced_at=now,
            source_id=rows[pk].source_id or "",
            source_version=rows[pk].source_version,
            content_hash=rows[pk].content_hash,
            content=snapshot(rows[pk], fields),
        )
        for pk in changed
    ]
    revision.objects.bulk_create(revisions, batch_size=WRITE_BATCH)
    updated_fields: set[str] = set()
    for pk, values in (*changed.items(), *refreshed.items()):
        row = rows[pk]
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = now
        updated_fields.update(values)
    by_attname = {field.attname: field.name for field in model._meta.concrete_fields}
    names: list[str] = sorted(by_attname[name] for name in updated_fields)
    model.objects.bulk_update(list(rows.values()), [*names, "updated_at"], batch_size=WRITE_BATCH)


def questions_save(
    *,
    new: list[WrittenQuestion],
    changed: dict[int, dict[str, Any]],
    refreshed: dict[int, dict[str, Any]] | None = None,
) -> None:
    """Create ``new``; update ``changed`` (id to field values) keeping a revision of each;
    update ``refreshed`` (same content, new source id or version) without one."""
    _save(
        WrittenQuestion,
        fields=QUESTION_FIELDS,
        revision=WrittenQuestionRevision,
        owner="question",
        new=new,
        changed=changed,
        refreshed=refreshed or {},
    )


def answers_save(
    *,
    new: list[WrittenAnswer],
    changed: dict[int, dict[str, Any]],
    refreshed: dict[int, dict[str, Any]] | None = None,
) -> None:
    """As ``questions_save``, for answers."""
    _save(
        WrittenAnswer,
        fields=ANSWER_FIELDS,
        revision=WrittenAnswerRevision,
        owner="answer",
        new=new,
        changed=changed,
        refreshed=refreshed or {},
    )


def answer_links_save(
    *,
    add: Iterable[tuple[int, int]],
    remove: Iterable[tuple[int, int]] = (),
    may_exist: bool = True,
) -> None:
    """Link (answer id, question id) pairs, and unlink others, with one query each way.

    ``may_exist=False`` promises none of ``add`` is linked yet, which lets PostgreSQL load
    them with COPY.
    """
    through = WrittenAnswer.questions.through
    rows_insert(
        through, ["writtenanswer_id", "writtenquestion_id"], list(add), ignore_conflicts=may_exist
    )
    pairs = list(remove)
    if pairs:
        condition = models.Q()
        for answer_id, question_id in pairs:
            condition |= models.Q(writtenanswer_id=answer_id, writtenquestion_id=question_id)
        through.objects.filter(condition).delete()


_NUMBER = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)
def _heading_slug(heading: str) -> str:
    """The first 50 or so characters of the subject as a slug (headings repeat: cached)."""
    words = slugify(heading)
    return words[:50].rsplit("-", 1)[0] if len(words) > 50 else words


def question_identifier(*, heading: str, number: str, taken: set[str]) -> str:
    """``child-poverty-bill-295019``: the subject's words, then the question number.

    Readable, and stable across versions of the record because the number is; unique within
    the day (``taken`` holds the day's identifiers, and gets this one).
    """
    number = _NUMBER.sub("-", number.lower()).strip("-")
    words = _heading_slug(heading)
    base = f"{words}-{number}".strip("-") if number else words or "question"
    return unique_slug(base[:76].strip("-"), taken)


def unique_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not in ``taken`` (which gets it)."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug
