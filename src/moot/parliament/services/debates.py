"""Importing ParlParse debates: ``moot import-debates``.

The written answers' machinery, for Hansard's debates: each file is checked by ``safexml``
and streamed, records are written in batches, each batch in one transaction that also
records in ``ImportedFile`` how far the file has got (a crash loses at most one batch and the
next run resumes after it), a file imported completely before is skipped by its content
hash, and a record whose content hash is unchanged is not written.

Versions. A day's versions (a, b, c …) are read oldest first. A record of a newer version is
matched to the one stored by its ParlParse id, through the ``<gidredirect>`` chains that
superseded versions hold, or by its id without the version letter; a match is updated in
place, so its permalink (section identifier, speech anchor) never changes. Once the latest
version of a day is imported completely, what it no longer holds is deleted; its old ids
still lead, through the stored redirects, to where ParlParse says they went.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from moot.core.errors import FileRejected
from moot.core.models import Department
from moot.parliament.importers.debates import (
    DebateFile,
    DebateRecord,
    ParsedSpeech,
    SectionStart,
    find_debate_files,
    read_debates,
)
from moot.parliament.importers.parlparse import RecordProblem, Redirect, split_gid
from moot.parliament.models import DebateRedirect, DebateSection, Importer, Speech
from moot.parliament.services.bulk import model_rows_insert, relax_durability
from moot.parliament.services.departments import department_key
from moot.parliament.services.imports import (
    FileJob,
    ImportSummary,
    Progress,
    count_unchanged_file,
    file_counts,
    snapshot,
)
from moot.parliament.services.parlparse import _digest, _version_key
from moot.parliament.services.records import _heading_slug, unique_slug
from moot.parliament.services.speakers import SpeakerDirectory

BATCH_RECORDS = 2000
KINDS = ("sections", "speeches", "redirects")
MAX_REDIRECT_HOPS = 20


def debates_import(
    *,
    paths: list[Path],
    force: bool = False,
    write: Callable[[str], None] | None = None,
    batch_size: int = BATCH_RECORDS,
) -> ImportSummary:
    """Import ParlParse debate files, and those in folders, oldest day and version first.

    Idempotent and resumable as the written answers are; never raises for bad input:
    unreadable files and records are reported in the summary and skipped.
    """
    summary = ImportSummary()
    existing = []
    for path in paths:
        if path.exists():
            existing.append(path)
        else:
            summary.problem(str(path), "no such file or folder")
    files, unknown = find_debate_files(existing)
    for path in unknown:
        summary.problem(
            str(path), "not a ParlParse debates file (debates…, lords… or westminhall….xml)"
        )
    if not files and not summary.problems:
        summary.problem(", ".join(map(str, paths)), "no ParlParse debate files here")
    speakers = SpeakerDirectory()
    departments = _Departments()
    progress = Progress(write, kind="speeches")
    for source in files:
        job = FileJob(importer=Importer.DEBATES, path=source.path, force=force)
        if job.skip:
            count_unchanged_file(summary, job, kinds=KINDS)
            continue
        _FileImport(source, job, speakers, departments, summary, batch_size).run()
        progress.tick(summary, where=source.path.name)
    return summary


class _Departments:
    """Departments by key, to match a major heading that names one (never creating one)."""

    def __init__(self) -> None:
        self.by_key = {
            department_key(name): pk for pk, name in Department.objects.values_list("id", "name")
        }

    def for_heading(self, heading: str) -> int | None:
        return self.by_key.get(department_key(heading)) if heading.strip() else None


@dataclass(slots=True)
class _Known:
    id: int
    source_id: str
    version: str
    content_hash: str


class _Index:
    """Stored records of one kind for a day and place, by id and by id without version."""

    def __init__(self) -> None:
        self.by_gid: dict[str, _Known] = {}
        self.by_stable: dict[str, _Known] = {}

    def add(self, known: _Known) -> None:
        self.by_gid[known.source_id] = known
        parts = split_gid(known.source_id)
        if parts is not None:
            self.by_stable[parts.stable] = known

    def move(self, known: _Known, gid: str) -> None:
        self.by_gid.pop(known.source_id, None)
        parts = split_gid(known.source_id)
        if parts is not None and self.by_stable.get(parts.stable) is known:
            del self.by_stable[parts.stable]
        known.source_id = gid
        self.add(known)


class _Day:
    """What the database holds for one day in one place, loaded once per file."""

    def __init__(self, source: DebateFile) -> None:
        self.date, self.location = source.date, source.location
        sections = DebateSection.objects.filter(date=self.date, location=self.location)
        self.sections = _Index()
        self.identifiers: set[str] = set()
        self.newest_version = ""
        for pk, gid, version, digest, identifier in sections.values_list(
            "id", "source_id", "source_version", "content_hash", "identifier"
        ):
            self.sections.add(_Known(pk, gid, version, digest))
            self.identifiers.add(identifier)
            self.newest_version = max(self.newest_version, version, key=_version_key)
        self.speeches = _Index()
        self.anchors: dict[int, set[str]] = defaultdict(set)
        for pk, gid, version, digest, section_id, anchor in Speech.objects.filter(
            section__date=self.date, section__location=self.location
        ).values_list("id", "source_id", "source_version", "content_hash", "section_id", "anchor"):
            self.speeches.add(_Known(pk, gid, version, digest))
            self.anchors[section_id].add(anchor)
        self.redirected_to: dict[str, list[str]] = defaultdict(list)
        for old, new in DebateRedirect.objects.filter(date=self.date).values_list(
            "old_source_id", "new_source_id"
        ):
            self.redirected_to[new].append(old)

    def match(self, gid: str, index: _Index) -> _Known | None:
        """The stored record this id is a version of, if any."""
        if gid in index.by_gid:
            return index.by_gid[gid]
        seen, frontier = {gid}, [gid]
        for _ in range(MAX_REDIRECT_HOPS):
            older = [o for g in frontier for o in self.redirected_to.get(g, ()) if o not in seen]
            for old in older:
                if old in index.by_gid:
                    return index.by_gid[old]
            seen.update(older)
            frontier = older
            if not frontier:
                break
        parts = split_gid(gid)
        return index.by_stable.get(parts.stable) if parts else None


def _anchor(gid: str) -> str:
    """``s133-2`` from ``…/debate/2009-10-27a.133.2``: readable, and set once."""
    parts = split_gid(gid)
    rest = parts.rest if parts else gid.rsplit("/", 1)[-1]
    return ("s" + "".join(c if c.isalnum() else "-" for c in rest.lower()))[:36].strip("-")


class _FileImport:
    def __init__(
        self,
        source: DebateFile,
        job: FileJob,
        speakers: SpeakerDirectory,
        departments: _Departments,
        summary: ImportSummary,
        batch_size: int,
    ) -> None:
        self.source = source
        self.name = source.path.name
        self.job = job
        self.speakers = speakers
        self.departments = departments
        self.summary = summary
        self.batch_size = batch_size
        self.version = source.version
        self.latest = True
        self.gids_seen: set[str] = set()

    def run(self) -> None:
        self.before = snapshot(self.summary)
        self.summary.files_read += 1
        try:
            header, records = read_debates(self.source)
        except FileRejected as error:
            self._fail(str(error))
            return
        self.version, self.latest = header.version, header.latest
        self.day = _Day(self.source)
        # A version older than one already stored only adds its redirects.
        self.superseded = _version_key(self.version) < _version_key(self.day.newest_version)
        batch: list[DebateRecord] = []
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
            self.flush(batch, done)
            self._fail(str(error))
            return
        self.flush(batch, done, last=True)

    def _fail(self, message: str) -> None:
        self.summary.problem(self.name, message)
        self.job.fail(message, file_counts(self.before, self.summary))

    def flush(self, records: list[DebateRecord], done: int, *, last: bool = False) -> None:
        with transaction.atomic():
            relax_durability()
            sections = [r for r in records if isinstance(r, SectionStart)]
            speeches = [r for r in records if isinstance(r, ParsedSpeech)]
            redirects = [r for r in records if isinstance(r, Redirect)]
            for record in records:
                if isinstance(record, RecordProblem):
                    self.summary.problem(f"{self.name} line {record.line}", record.message)
            if redirects:
                self._write_redirects(redirects)
            if not self.superseded:
                self._write_sections(sections)
                self._write_speeches(speeches)
            elif sections or speeches:
                self.summary.add("speeches", "superseded", len(speeches))
            self.job.checkpoint(done)
            if last:
                if self.latest and not self.superseded:
                    self._remove_left_out()
                    self._set_departments()
                self.job.complete(file_counts(self.before, self.summary))

    def _first_sight(self, gid: str, line: int) -> bool:
        if gid in self.gids_seen:
            self.summary.problem(f"{self.name} line {line}", f"{gid} appears twice")
            return False
        self.gids_seen.add(gid)
        return True

    # Redirects -------------------------------------------------------------------------

    def _write_redirects(self, redirects: list[Redirect]) -> None:
        by_old = {r.old_gid: r for r in redirects}
        stored = dict(
            DebateRedirect.objects.filter(old_source_id__in=by_old).values_list(
                "old_source_id", "new_source_id"
            )
        )
        new = []
        for old, redirect in by_old.items():
            if stored.get(old) == redirect.new_gid:
                self.summary.add("redirects", "unchanged")
                continue
            if old in stored:
                DebateRedirect.objects.filter(old_source_id=old).update(
                    new_source_id=redirect.new_gid,
                    match_type=redirect.match_type,
                    updated_at=timezone.now(),
                )
                self.summary.add("redirects", "updated")
            else:
                new.append(
                    {
                        "old_source_id": old,
                        "new_source_id": redirect.new_gid,
                        "match_type": redirect.match_type,
                        "date": self.source.date,
                    }
                )
                self.summary.add("redirects", "created")
            self.day.redirected_to[redirect.new_gid].append(old)
        model_rows_insert(DebateRedirect, new)

    # Sections --------------------------------------------------------------------------

    def _write_sections(self, sections: list[SectionStart]) -> None:
        new: list[dict[str, Any]] = []
        changed: dict[int, dict[str, Any]] = {}
        for section in sections:
            if not self._first_sight(section.gid, section.line):
                continue
            digest = _digest(
                section.major_heading,
                section.heading,
                section.column,
                section.url,
                section.position,
            )
            values: dict[str, Any] = {
                "major_heading": section.major_heading,
                "heading": section.heading,
                "position": section.position,
                "source_id": section.gid,
                "source_url": section.url,
                "column": section.column,
                "source_version": self.version,
                "content_hash": digest,
            }
            known = self.day.match(section.gid, self.day.sections)
            if known is None:
                values["date"] = self.source.date
                values["location"] = self.source.location
                values["identifier"] = unique_slug(
                    (_heading_slug(section.heading or section.major_heading) or "debate")[:76],
                    self.day.identifiers,
                )
                new.append(values)
                self.summary.add("sections", "created")
                continue
            self._plan(known, section.gid, digest, values, changed, "sections", self.day.sections)
        ids = model_rows_insert(DebateSection, new, key="source_id")
        for values in new:
            self.day.sections.add(
                _Known(
                    ids[values["source_id"]],
                    values["source_id"],
                    self.version,
                    values["content_hash"],
                )
            )
        self._update(DebateSection, changed)

    def _plan(
        self,
        known: _Known,
        gid: str,
        digest: str,
        values: dict[str, Any],
        changed: dict[int, dict[str, Any]],
        kind: str,
        index: _Index,
    ) -> None:
        if (
            known.content_hash == digest
            and known.source_id == gid
            and known.version == self.version
        ):
            self.summary.add(kind, "unchanged")
            return
        if known.content_hash == digest:
            # Same content in a newer version: its id and version only.
            changed[known.id] = {"source_id": gid, "source_version": self.version}
            self.summary.add(kind, "unchanged")
        else:
            changed[known.id] = values
            self.summary.add(kind, "updated")
        index.move(known, gid)
        known.content_hash, known.version = digest, self.version

    @staticmethod
    def _update(
        model: type[DebateSection] | type[Speech], changed: dict[int, dict[str, Any]]
    ) -> None:
        if not changed:
            return
        rows: dict[int, Any] = model.objects.in_bulk(list(changed))
        now = timezone.now()
        fields: set[str] = set()
        for pk, values in changed.items():
            row = rows[pk]
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            fields.update(values)
        # Ids move between rows when a version renumbers: free each row's old id first, so
        # that no two rows ever hold one id between statements.
        moving = [pk for pk, values in changed.items() if "source_id" in values]
        if moving:
            model.objects.filter(pk__in=moving).update(
                source_id=Concat(Value("moving:"), Cast("id", CharField()))
            )
        by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
        model.objects.bulk_update(
            list(rows.values()),
            [*sorted({by_attname[f] for f in fields}), "updated_at"],
            batch_size=1000,
        )

    # Speeches --------------------------------------------------------------------------

    def _section_id(self, gid: str) -> int | None:
        known = self.day.match(gid, self.day.sections)
        return known.id if known else None

    def _write_speeches(self, speeches: list[ParsedSpeech]) -> None:
        new: list[dict[str, Any]] = []
        changed: dict[int, dict[str, Any]] = {}
        for speech in speeches:
            if not self._first_sight(speech.gid, speech.line):
                continue
            section_id = self._section_id(speech.section_gid)
            if section_id is None:
                self.summary.problem(
                    f"{self.name} line {speech.line}", f"{speech.gid} has no section before it"
                )
                continue
            digest = _digest(
                section_id,
                speech.position,
                speech.speaker_id,
                speech.speaker_name,
                speech.body_html,
                speech.column,
                speech.time,
                speech.url,
            )
            values: dict[str, Any] = {
                "section_id": section_id,
                "position": speech.position,
                "speaker_id": self.speakers.person_id(speech.speaker_id),
                "speaker_name": speech.speaker_name,
                "speaker_source_id": speech.speaker_id,
                "body_html": speech.body_html,
                "column": speech.column,
                "time": speech.time,
                "source_id": speech.gid,
                "source_url": speech.url,
                "source_version": self.version,
                "content_hash": digest,
            }
            known = self.day.match(speech.gid, self.day.speeches)
            if known is None:
                values["anchor"] = unique_slug(_anchor(speech.gid), self.day.anchors[section_id])
                new.append(values)
                self.summary.add("speeches", "created")
                continue
            self._plan(known, speech.gid, digest, values, changed, "speeches", self.day.speeches)
        ids = model_rows_insert(Speech, new, key="source_id")
        for values in new:
            self.day.speeches.add(
                _Known(
                    ids[values["source_id"]],
                    values["source_id"],
                    self.version,
                    values["content_hash"],
                )
            )
        self._update(Speech, changed)

    # After the latest version ----------------------------------------------------------

    def _remove_left_out(self) -> None:
        """Delete what the day's latest version no longer holds: every record it did not
        touch still has an older version's letter (its old ids still redirect)."""
        speeches = Speech.objects.filter(
            section__date=self.source.date, section__location=self.source.location
        )
        sections = DebateSection.objects.filter(
            date=self.source.date, location=self.source.location
        )
        for queryset, kind in ((speeches, "speeches"), (sections, "sections")):
            gone = [
                pk
                for pk, version in queryset.values_list("id", "source_version")
                if _version_key(version) < _version_key(self.version)
            ]
            for start in range(0, len(gone), 1000):
                queryset.filter(pk__in=gone[start : start + 1000]).delete()
            self.summary.add(kind, "removed", len(gone))

    def _set_departments(self) -> None:
        """A section's department: the one whose minister spoke, when exactly one did;
        otherwise one its major heading names."""
        departments: dict[int, Counter[int]] = defaultdict(Counter)
        speeches = Speech.objects.filter(
            section__date=self.source.date, section__location=self.source.location
        ).exclude(speaker=None)
        for section_id, person_id in speeches.values_list("section_id", "speaker_id"):
            department = self.speakers.department_on(person_id, self.source.date)
            if department is not None:
                departments[section_id][department] += 1
        rows = DebateSection.objects.filter(date=self.source.date, location=self.source.location)
        updates = []
        for pk, major, current in rows.values_list("id", "major_heading", "department_id"):
            found = departments.get(pk)
            department = (
                next(iter(found))
                if found and len(found) == 1
                else self.departments.for_heading(major)
            )
            if department != current:
                updates.append(
                    DebateSection(id=pk, department_id=department, updated_at=timezone.now())
                )
        DebateSection.objects.bulk_update(updates, ["department", "updated_at"], batch_size=1000)
