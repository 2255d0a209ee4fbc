"""Importing ParlParse written ministerial statements (``ministerial*.xml``,
``lordswms*.xml``), through ``moot import-parlparse`` beside the written answers.

The same machinery as the answers: each file is streamed and written in batches, each in
one transaction that also records how far the file has got (``FileJob``), so a crash loses
at most a batch and the next run resumes after it. A statement is matched to what the
database holds by its ParlParse id — exactly, back through the ``<gidredirect>`` chains of
superseded versions, or by the id without its version letter — and compared by content
hash: unchanged statements cost nothing, changed ones are updated in place (their permalink
kept) with the old content kept as a revision, and one a newer version removes is deleted,
its permalink redirected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from moot.core.errors import FileRejected
from moot.parliament.importers.parlparse import RecordProblem, Redirect, SourceFile, split_gid
from moot.parliament.importers.parlparse_statements import (
    ParsedStatement,
    StatementRecord,
    find_files,
    read_file,
)
from moot.parliament.models import (
    Importer,
    RedirectKind,
    WrittenStatement,
    WrittenStatementRedirect,
)
from moot.parliament.services.bulk import model_rows_insert, relax_durability
from moot.parliament.services.departments import DepartmentDirectory
from moot.parliament.services.imports import (
    FileJob,
    ImportSummary,
    Progress,
    count_unchanged_file,
    file_counts,
    snapshot,
)
from moot.parliament.services.speakers import SpeakerDirectory
from moot.parliament.services.statements import (
    statement_identifier,
    statement_rows_insert,
    statements_save,
)

BATCH_RECORDS = 500
PUBLICWHIP = "uk.org.publicwhip/"
MAX_REDIRECT_HOPS = 20
KINDS = ("statements", "statement redirects")


def parlparse_statements_import(
    *,
    paths: list[Path],
    force: bool = False,
    write: Callable[[str], None] | None = None,
    batch_size: int = BATCH_RECORDS,
    summary: ImportSummary | None = None,
) -> ImportSummary:
    """Import ParlParse statement files, and those in folders, oldest day and version first.

    Idempotent: a file imported completely before is skipped by its content hash, and a
    statement whose content is unchanged is not written. Resumable: a run that stopped part
    way through a file continues after its last committed batch. Never raises for bad
    input: unreadable files and records are reported in the summary and skipped, and the
    records before a break in a file are kept. Adds to ``summary`` when given one.
    """
    summary = summary if summary is not None else ImportSummary()
    existing = [path for path in paths if path.exists()]
    for path in paths:
        if not path.exists():
            summary.problem(str(path), "no such file or folder")
    files = find_files(existing)
    context = _Context(DepartmentDirectory(), SpeakerDirectory())
    progress = Progress(write, kind="statements")
    for source in files:
        job = FileJob(importer=Importer.PARLPARSE_STATEMENTS, path=source.path, force=force)
        if job.skip:
            count_unchanged_file(summary, job, kinds=KINDS)
            continue
        _FileImport(source, job, context, summary, batch_size).run()
        progress.tick(summary, where=source.path.name)
    return summary


@dataclass
class _Context:
    departments: DepartmentDirectory
    speakers: SpeakerDirectory


@dataclass(slots=True)
class _Known:
    id: int
    source_id: str
    version: str
    content_hash: str
    identifier: str


def _version_key(version: str) -> tuple[int, str]:
    return (len(version), version)


def _stable(gid: str) -> str:
    parts = split_gid(gid)
    return parts.stable if parts else gid


def _digest(*parts: object) -> str:
    """A record's content hash: its parts, separated so no two differ only in where one
    part ends."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


class _Day:
    """What the database holds for one day's statements, loaded once per file."""

    def __init__(self, date: dt.date, house: str) -> None:
        self.date = date
        self.identifiers: set[str] = set()
        self.by_gid: dict[str, _Known] = {}
        self.by_stable: dict[str, _Known] = {}
        self.redirected_from: dict[str, str] = {}
        self.redirected_to: dict[str, list[str]] = defaultdict(list)
        self.newest_version = ""
        rows = WrittenStatement.objects.filter(date=date).values_list(
            "id", "source_id", "source_version", "content_hash", "identifier", "house"
        )
        for pk, source_id, version, digest, identifier, house_of in rows:
            self.identifiers.add(identifier)
            if source_id and source_id.startswith(PUBLICWHIP):
                self.remember(_Known(pk, source_id, version, digest, identifier))
                if house_of == house and _version_key(version) > _version_key(self.newest_version):
                    self.newest_version = version
        redirects = WrittenStatementRedirect.objects.filter(date=date).exclude(old_source_id=None)
        for old, new in redirects.values_list("old_source_id", "new_source_id"):
            self.note_redirect(old or "", new)

    def remember(self, known: _Known) -> None:
        self.by_gid[known.source_id] = known
        self.by_stable[_stable(known.source_id)] = known

    def forget(self, gid: str) -> None:
        known = self.by_gid.pop(gid, None)
        if known is not None and self.by_stable.get(_stable(gid)) is known:
            del self.by_stable[_stable(gid)]

    def note_redirect(self, old: str, new: str) -> None:
        self.redirected_from[old] = new
        self.redirected_to[new].append(old)

    def match(self, gid: str) -> _Known | None:
        """The stored statement this gid is a version of, if any."""
        if gid in self.by_gid:
            return self.by_gid[gid]
        # Older ids redirected, through any number of versions, to this one.
        seen, frontier = {gid}, [gid]
        for _ in range(MAX_REDIRECT_HOPS):
            older = [o for g in frontier for o in self.redirected_to.get(g, ()) if o not in seen]
            for old in older:
                if old in self.by_gid:
                    return self.by_gid[old]
            seen.update(older)
            frontier = older
            if not frontier:
                break
        known = self.by_stable.get(_stable(gid))
        if known is None:
            return None
        # Same id but for the version letter: the same statement, unless ParlParse
        # redirected the stored one elsewhere (numbering by column can shift).
        end = self._redirect_end(known.source_id)
        if end != known.source_id and _stable(end) != _stable(gid):
            return None
        return known

    def _redirect_end(self, gid: str) -> str:
        for _ in range(MAX_REDIRECT_HOPS):
            following = self.redirected_from.get(gid)
            if following is None:
                return gid
            gid = following
        return gid


def _number(statement: ParsedStatement) -> str:
    """The number for the permalink: the statement number, or its place in the record."""
    if statement.uin:
        return statement.uin
    parts = split_gid(statement.gid)
    return parts.rest.replace(".", "-") if parts else ""


class _FileImport:
    def __init__(
        self,
        source: SourceFile,
        job: FileJob,
        context: _Context,
        summary: ImportSummary,
        batch_size: int,
    ) -> None:
        self.source = source
        self.name = source.path.name
        self.job = job
        self.context = context
        self.summary = summary
        self.batch_size = batch_size
        self.days: dict[dt.date, _Day] = {}
        self.version = source.version
        self.gids_seen: set[str] = set()

    def day(self, date: dt.date) -> _Day:
        if date not in self.days:
            self.days[date] = _Day(date, self.source.house)
        return self.days[date]

    def run(self) -> None:
        self.before = snapshot(self.summary)
        self.summary.files_read += 1
        try:
            header, records = read_file(self.source)
        except FileRejected as error:
            self._fail(str(error))
            return
        self.version = header.version
        batch: list[StatementRecord] = []
        done = 0
        try:
            for record in records:
                done += 1
                if done <= self.job.resume_from:
                    continue
                batch.append(record)
                if len(batch) >= self.batch_size:
                    self.flush(batch, done)
                    batch = []
        except FileRejected as error:
            # What came before the break is kept; the file is marked failed.
            self.flush(batch, done)
            self._fail(str(error))
            return
        self.flush(batch, done, last=True)

    def _fail(self, message: str) -> None:
        self.summary.problem(self.name, message)
        self.job.fail(message, file_counts(self.before, self.summary))

    def flush(self, records: list[StatementRecord], done: int, *, last: bool = False) -> None:
        with transaction.atomic():
            relax_durability()
            statements = []
            redirects = []
            for record in records:
                if isinstance(record, ParsedStatement):
                    statements.append(record)
                elif isinstance(record, Redirect):
                    redirects.append(record)
                elif isinstance(record, RecordProblem):
                    self.summary.problem(f"{self.name} line {record.line}", record.message)
            if statements:
                self._write_statements(statements)
            if redirects:
                self._write_redirects(redirects)
            self.job.checkpoint(done)
            if last:
                # In the same transaction: a file is complete exactly when its last batch is.
                self.job.complete(file_counts(self.before, self.summary))

    # Statements ----------------------------------------------------------------------

    def _write_statements(self, statements: list[ParsedStatement]) -> None:
        new: list[dict[str, Any]] = []
        changed: dict[int, dict[str, Any]] = {}
        refreshed: dict[int, dict[str, Any]] = {}
        for statement in statements:
            if statement.gid in self.gids_seen:
                self.summary.problem(
                    f"{self.name} line {statement.line}", f"{statement.gid} appears twice"
                )
                continue
            self.gids_seen.add(statement.gid)
            self._plan(statement, new, changed, refreshed)
        ids = statement_rows_insert(new)
        statements_save(changed=changed, refreshed=refreshed)
        for values in new:
            self.day(values["date"]).remember(
                _Known(
                    ids[values["source_id"]],
                    values["source_id"],
                    values["source_version"],
                    values["content_hash"],
                    values["identifier"],
                )
            )

    def _plan(
        self,
        statement: ParsedStatement,
        new: list[dict[str, Any]],
        changed: dict[int, dict[str, Any]],
        refreshed: dict[int, dict[str, Any]],
    ) -> None:
        day = self.day(statement.date)
        first = statement.speeches[0]
        speakers = self.context.speakers
        person_id = speakers.person_id(first.speaker_id)
        department_id = self.context.departments.for_heading(statement.department_heading)
        if department_id is None:
            # The Lords heads statements with their titles alone: the minister's department.
            department_id = speakers.department_on(person_id, statement.date)
        digest = _digest(
            self.source.house,
            statement.department_heading,
            statement.title,
            statement.body_html,
            first.speaker_id,
            first.speaker_name,
            statement.column or first.column,
            statement.url or first.url,
            statement.position,
        )
        known = day.match(statement.gid)
        if known is None and _version_key(self.version) < _version_key(day.newest_version):
            # A statement only in a superseded version: the newer record left it out.
            self.summary.add("statements", "superseded")
            return
        values: dict[str, Any] = {
            "house": self.source.house,
            "uin": statement.uin[:20],
            "title": statement.title[:300],
            "department_id": department_id,
            "person_id": person_id,
            "speaker_name": first.speaker_name[:200],
            "speaker_id": first.speaker_id[:120],
            "body_html": statement.body_html,
            "source_id": statement.gid[:160],
            "source_url": (statement.url or first.url)[:500],
            "column": (statement.column or first.column)[:20],
            "position": statement.position,
            "source_version": self.version,
            "content_hash": digest,
        }
        if known is None:
            values["date"] = statement.date
            values["identifier"] = statement_identifier(
                title=statement.title, number=_number(statement), taken=day.identifiers
            )
            new.append(values)
            self.summary.add("statements", "created")
            day.newest_version = max(day.newest_version, self.version, key=_version_key)
            return
        if _version_key(self.version) < _version_key(known.version):
            # Stored from a newer version than this file: that one stands.
            self.summary.add("statements", "unchanged")
            return
        if known.content_hash == digest:
            self.summary.add("statements", "unchanged")
            if known.source_id != statement.gid:
                refreshed[known.id] = {
                    "source_id": statement.gid[:160],
                    "source_version": self.version,
                }
        else:
            changed[known.id] = values
            self.summary.add("statements", "updated")
        if known.source_id != statement.gid or known.content_hash != digest:
            day.forget(known.source_id)
            known.source_id, known.content_hash = statement.gid, digest
            known.version = max(known.version, self.version, key=_version_key)
            day.remember(known)

    # Redirects -----------------------------------------------------------------------

    def _write_redirects(self, redirects: list[Redirect]) -> None:
        new: list[dict[str, Any]] = []
        moved: list[tuple[str, str, str]] = []
        removed: list[Redirect] = []
        for redirect in redirects:
            parts = split_gid(redirect.old_gid)
            if parts is None:
                self.summary.problem(
                    f"{self.name} line {redirect.line}",
                    f"gidredirect from an id moot cannot read ({redirect.old_gid})",
                )
                continue
            kind = (
                redirect.match_type
                if redirect.match_type in RedirectKind.values
                and redirect.match_type != RedirectKind.PERMALINK
                else RedirectKind.CHANGES
            )
            day = self.day(parts.date)
            current = day.redirected_from.get(redirect.old_gid)
            if current == redirect.new_gid:
                self.summary.add("statement redirects", "unchanged")
            elif current is None:
                new.append(
                    {
                        "old_source_id": redirect.old_gid[:160],
                        "new_source_id": redirect.new_gid[:160],
                        "kind": kind,
                        "date": parts.date,
                    }
                )
                self.summary.add("statement redirects", "created")
            else:
                moved.append((redirect.old_gid, redirect.new_gid, kind))
                self.summary.add("statement redirects", "updated")
            day.note_redirect(redirect.old_gid, redirect.new_gid)
            if kind == RedirectKind.REMOVED:
                removed.append(redirect)
        model_rows_insert(WrittenStatementRedirect, new)
        for old, new_gid, kind in moved:
            WrittenStatementRedirect.objects.filter(old_source_id=old).update(
                new_source_id=new_gid, kind=kind
            )
        if removed:
            self._remove(removed)

    def _remove(self, removed: list[Redirect]) -> None:
        """Statements a newer version left out of the record: their pages go, and their
        permalinks lead where ParlParse says the record now is."""
        ids: list[int] = []
        permalinks: list[WrittenStatementRedirect] = []
        for redirect in removed:
            parts = split_gid(redirect.old_gid)
            if parts is None:
                continue
            day = self.day(parts.date)
            known = day.by_gid.get(redirect.old_gid)
            if known is None:
                continue
            ids.append(known.id)
            permalinks.append(
                WrittenStatementRedirect(
                    date=parts.date,
                    identifier=known.identifier,
                    new_source_id=redirect.new_gid[:160],
                    kind=RedirectKind.PERMALINK,
                )
            )
            day.forget(redirect.old_gid)
            self.summary.add("statements", "removed")
        WrittenStatementRedirect.objects.bulk_create(permalinks, ignore_conflicts=True)
        WrittenStatement.objects.filter(id__in=ids).delete()
