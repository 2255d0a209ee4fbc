"""Importing UK Parliament written-statements API JSON: ``moot import-written-statements``.

A statement is filed under the day it was made, with a permalink from its title and number
(``safeguarding-guidance-hcws123``) that never changes. A newer record of the same
statement (same API id) updates it in place and keeps what it replaced as a revision; its
attachments and linked statements are replaced as a whole with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from moot.core.errors import FileRejected
from moot.parliament.importers.ukparliament import ApiProblem, load
from moot.parliament.importers.ukparliament_statements import ApiStatement, read_records
from moot.parliament.models import (
    Importer,
    WrittenStatement,
    WrittenStatementAttachment,
    WrittenStatementLink,
)
from moot.parliament.services.departments import DepartmentDirectory
from moot.parliament.services.imports import (
    FileJob,
    ImportSummary,
    Progress,
    content_hash,
    count_unchanged_file,
    file_counts,
    json_files,
    snapshot,
)
from moot.parliament.services.speakers import SpeakerDirectory, parliament_member_speaker_id
from moot.parliament.services.statements import (
    statement_identifier,
    statement_rows_insert,
    statements_save,
)

BATCH_RECORDS = 200
STATEMENT_PREFIX = "parliament.uk/written-statement/"
KINDS = ("statements",)


def statement_source_id(api_id: int) -> str:
    return f"{STATEMENT_PREFIX}{api_id}"


def written_statements_import(
    *,
    paths: list[Path],
    force: bool = False,
    write: Callable[[str], None] | None = None,
    batch_size: int = BATCH_RECORDS,
) -> ImportSummary:
    """Import UK Parliament written-statements API responses (files, or folders of them).

    Idempotent by content hash, resumable by batch (each batch commits with the file's
    progress), and never raises for bad input: a file that is not an API response, or a
    record without what a statement needs, is reported (by file, or by statement id) and
    skipped, and everything else is imported.
    """
    summary = ImportSummary()
    files = json_files(paths, summary)
    context = _Context(DepartmentDirectory(), SpeakerDirectory())
    progress = Progress(write, kind="statements")
    for path in files:
        job = FileJob(importer=Importer.WRITTEN_STATEMENTS, path=path, force=force)
        if job.skip:
            count_unchanged_file(summary, job, kinds=KINDS)
            continue
        before = snapshot(summary)
        summary.files_read += 1
        try:
            records = list(read_records(load(path)))
        except FileRejected as error:
            summary.problem(path.name, str(error))
            job.fail(str(error), file_counts(before, summary))
            continue
        for start in range(job.resume_from, len(records), batch_size):
            batch = records[start : start + batch_size]
            with transaction.atomic():
                _Batch(path.name, context, summary).write(batch)
                job.checkpoint(start + len(batch))
            progress.tick(summary, where=path.name)
        job.complete(file_counts(before, summary))
    return summary


@dataclass
class _Context:
    departments: DepartmentDirectory
    speakers: SpeakerDirectory


class _Batch:
    def __init__(self, name: str, context: _Context, summary: ImportSummary) -> None:
        self.name = name
        self.context = context
        self.summary = summary

    def write(self, items: list[ApiStatement | ApiProblem]) -> None:
        records: dict[str, ApiStatement] = {}
        for item in items:
            if isinstance(item, ApiProblem):
                self.summary.problem(f"{self.name} {item.where}", item.message)
            else:
                for warning in item.warnings:
                    self.summary.problem(f"{self.name} written statement {item.id}", warning)
                # The same statement twice in one file: the later record stands.
                records[statement_source_id(item.id)] = item
        if not records:
            return
        existing: dict[str, dict[str, Any]] = {
            str(row["source_id"]): dict(row)
            for row in WrittenStatement.objects.filter(source_id__in=list(records)).values(
                "id", "source_id", "content_hash"
            )
        }
        taken: dict[Any, set[str]] = defaultdict(set)
        for date, identifier in WrittenStatement.objects.filter(
            date__in={r.date_made for r in records.values()}
        ).values_list("date", "identifier"):
            taken[date].add(identifier)
        new: list[dict[str, Any]] = []
        changed: dict[int, dict[str, Any]] = {}
        fresh: dict[str, ApiStatement] = {}
        for source_id, record in records.items():
            values = self._values(source_id, record)
            row = existing.get(source_id)
            if row is None:
                values["date"] = record.date_made
                values["identifier"] = statement_identifier(
                    title=record.title, number=record.uin, taken=taken[record.date_made]
                )
                new.append(values)
                fresh[source_id] = record
                self.summary.add("statements", "created")
            elif row["content_hash"] == values["content_hash"]:
                self.summary.add("statements", "unchanged")
            else:
                changed[row["id"]] = values
                fresh[source_id] = record
                self.summary.add("statements", "updated")
        ids = statement_rows_insert(new)
        statements_save(changed=changed)
        ids.update({source_id: row["id"] for source_id, row in existing.items()})
        self._related(fresh, ids)

    def _values(self, source_id: str, record: ApiStatement) -> dict[str, Any]:
        speaker = parliament_member_speaker_id(record.member_id) if record.member_id else ""
        values: dict[str, Any] = {
            "house": record.house,
            "uin": record.uin,
            "title": record.title[:300],
            "department_id": self.context.departments.for_answering_body(
                record.answering_body_id, record.answering_body_name
            ),
            "person_id": self.context.speakers.person_id(speaker),
            "speaker_name": record.member_name[:200],
            "speaker_id": speaker[:120],
            "member_role": record.member_role[:300],
            "body_html": record.text_html,
            "source_id": source_id,
            "source_url": record.source_url[:500],
            "source_version": record.date_made.isoformat(),
        }
        # Ids resolved against moot's own tables are left out: importing members later
        # must not make an unchanged statement look changed.
        hashed = {k: v for k, v in values.items() if k not in ("person_id", "department_id")}
        hashed |= {
            "date": record.date_made,
            "answering_body": record.answering_body_name,
            "attachments": [(a.title, a.url, a.file_type, a.file_size) for a in record.attachments],
            "linked": [(s.statement_id, s.link_type, s.link_date) for s in record.linked],
        }
        values["content_hash"] = content_hash(hashed)
        return values

    def _related(self, fresh: dict[str, ApiStatement], ids: dict[str, int]) -> None:
        """A new or changed statement's attachments and links, replaced as a whole."""
        statement_ids = [ids[source_id] for source_id in fresh]
        WrittenStatementAttachment.objects.filter(statement_id__in=statement_ids).delete()
        WrittenStatementLink.objects.filter(statement_id__in=statement_ids).delete()
        attachments = []
        links: dict[tuple[int, str, str], WrittenStatementLink] = {}
        for source_id, record in fresh.items():
            pk = ids[source_id]
            attachments += [
                WrittenStatementAttachment(
                    statement_id=pk,
                    position=n,
                    title=a.title,
                    url=a.url,
                    file_type=a.file_type,
                    file_size=a.file_size,
                )
                for n, a in enumerate(record.attachments)
            ]
            for linked in record.linked:
                target = statement_source_id(linked.statement_id)
                if target == source_id:
                    continue  # a statement linked to itself says nothing
                links[(pk, linked.link_type, target)] = WrittenStatementLink(
                    statement_id=pk,
                    kind=linked.link_type,
                    linked_source_id=target,
                    link_date=linked.link_date,
                )
        WrittenStatementAttachment.objects.bulk_create(attachments)
        WrittenStatementLink.objects.bulk_create(list(links.values()))
