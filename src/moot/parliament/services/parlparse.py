"""Importing ParlParse written answers: ``moot import-parlparse``.

Each file is read as a stream and written in batches, each batch in one transaction that
also records how far the file has got, so a crash loses at most one batch and the next run
resumes after it. Questions and answers are matched to what the database holds by their
ParlParse id — exactly, through the ``<gidredirect>`` chains of superseded versions, or by
the id without its version letter — and compared by content hash: unchanged records cost
nothing, changed ones are updated in place with the old content kept as a revision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.db import transaction

from moot.core.errors import FileRejected
from moot.parliament.importers.background import BackgroundReader
from moot.parliament.importers.parlparse import (
    FileHeader,
    ParsedAnswer,
    ParsedQuestion,
    ParsedRecord,
    QuestionGroup,
    RecordProblem,
    Redirect,
    SourceFile,
    find_files,
    read_file,
    split_gid,
)
from moot.parliament.importers.parlparse_statements import find_files as find_statement_files
from moot.parliament.importers.parlparse_statements import is_statement_file
from moot.parliament.models import (
    Importer,
    RedirectKind,
    WrittenAnswer,
    WrittenQuestion,
    WrittenQuestionRedirect,
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
from moot.parliament.services.parlparse_statements import parlparse_statements_import
from moot.parliament.services.records import (
    answer_links_save,
    answers_save,
    question_identifier,
    questions_save,
)
from moot.parliament.services.speakers import SpeakerDirectory

BATCH_RECORDS = 2000
BACKGROUND_BYTES = 16 * 1024 * 1024
PUBLICWHIP = "uk.org.publicwhip/"
MAX_REDIRECT_HOPS = 20
KINDS = ("questions", "answers", "redirects")


def parlparse_import(
    *,
    paths: list[Path],
    force: bool = False,
    write: Callable[[str], None] | None = None,
    batch_size: int = BATCH_RECORDS,
    background: bool | None = None,
) -> ImportSummary:
    """Import ParlParse written-answer files, and the files in folders, oldest first;
    written-statement files among them go to ``parlparse_statements_import``.

    Idempotent: a file imported completely before is skipped by its content hash, and a
    record whose content is unchanged is not written. Resumable: a run that stopped part way
    through a file continues after its last committed batch. Never raises for bad input:
    unreadable files and records are reported in the summary and skipped.

    ``background`` reads the files in a second process while this one writes (the default
    when there are at least ``BACKGROUND_BYTES`` to read).
    """
    summary = ImportSummary()
    for path in paths:
        if not path.exists():
            summary.problem(str(path), "no such file or folder")
    present = [path for path in paths if path.exists()]
    # Written statements come in the same folders: files named as statements, and the
    # folders, go to their importer too (parlparse_statements), into the same summary.
    statement_paths = [p for p in present if p.is_dir() or is_statement_file(p)]
    files = find_files([p for p in present if p.is_dir() or not is_statement_file(p)])
    if not files and not find_statement_files(statement_paths) and not summary.problems:
        summary.problem(", ".join(map(str, paths)), "no ParlParse written-answer files here")
    context = _Context(departments=DepartmentDirectory(), speakers=SpeakerDirectory())
    progress = Progress(write, kind="questions")
    to_read = []
    for source in files:
        job = FileJob(importer=Importer.PARLPARSE, path=source.path, force=force)
        if job.skip:
            count_unchanged_file(summary, job, kinds=KINDS)
        else:
            to_read.append((source, job))
    if background is None:
        background = sum(job.size for _, job in to_read) >= BACKGROUND_BYTES
    reader = BackgroundReader([source.path for source, _ in to_read]) if background else None
    try:
        for index, (source, job) in enumerate(to_read):
            opened = partial(reader.read, index) if reader else None
            _FileImport(source, job, context, summary, progress, batch_size, opened).run()
            progress.tick(summary, where=source.path.name)
    finally:
        if reader:
            reader.close()
    if statement_paths:
        parlparse_statements_import(
            paths=statement_paths, force=force, write=write, summary=summary
        )
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
    identifier: str = ""


def _version_key(version: str) -> tuple[int, str]:
    return (len(version), version)


class _Day:
    """What the database holds for one day of ParlParse records, loaded once per file."""

    def __init__(self, date: dt.date, house: str) -> None:
        self.date = date
        self.house = house
        self.identifiers: set[str] = set()
        self.questions: dict[str, _Known] = {}
        self.questions_by_stable: dict[str, _Known] = {}
        self.answers: dict[str, _Known] = {}
        self.answers_by_stable: dict[str, _Known] = {}
        self.links: dict[int, set[int]] = defaultdict(set)
        self.redirected_from: dict[str, str] = {}
        self.redirected_to: dict[str, list[str]] = defaultdict(list)
        self.newest_version = ""
        rows = WrittenQuestion.objects.filter(date=date).values_list(
            "id", "source_id", "source_version", "content_hash", "identifier", "house"
        )
        for pk, source_id, version, digest, identifier, house_of in rows:
            self.identifiers.add(identifier)
            if source_id and source_id.startswith(PUBLICWHIP):
                self.remember(
                    self.questions,
                    self.questions_by_stable,
                    _Known(pk, source_id, version, digest, identifier),
                )
                if house_of == house and _version_key(version) > _version_key(self.newest_version):
                    self.newest_version = version
        answers = WrittenAnswer.objects.filter(
            date_answered=date, source_id__startswith=PUBLICWHIP
        ).values_list("id", "source_id", "source_version", "content_hash")
        for pk, source_id, version, digest in answers:
            self.remember(
                self.answers, self.answers_by_stable, _Known(pk, source_id or "", version, digest)
            )
        links = WrittenAnswer.questions.through.objects.filter(
            writtenanswer__date_answered=date, writtenanswer__source_id__startswith=PUBLICWHIP
        ).values_list("writtenanswer_id", "writtenquestion_id")
        for answer_id, question_id in links:
            self.links[answer_id].add(question_id)
        redirects = WrittenQuestionRedirect.objects.filter(date=date).exclude(old_source_id=None)
        for old, new in redirects.values_list("old_source_id", "new_source_id"):
            self.note_redirect(old or "", new)

    @staticmethod
    def remember(by_gid: dict[str, _Known], by_stable: dict[str, _Known], known: _Known) -> None:
        by_gid[known.source_id] = known
        parts = split_gid(known.source_id)
        if parts is not None:
            by_stable[parts.stable] = known

    def note_redirect(self, old: str, new: str) -> None:
        self.redirected_from[old] = new
        self.redirected_to[new].append(old)

    def remember_question(self, known: _Known) -> None:
        self.remember(self.questions, self.questions_by_stable, known)

    def remember_answer(self, known: _Known) -> None:
        self.remember(self.answers, self.answers_by_stable, known)

    def forget(self, by_gid: dict[str, _Known], by_stable: dict[str, _Known], gid: str) -> None:
        known = by_gid.pop(gid, None)
        parts = split_gid(gid)
        if known is not None and parts is not None and by_stable.get(parts.stable) is known:
            del by_stable[parts.stable]

    def match(
        self, gid: str, by_gid: dict[str, _Known], by_stable: dict[str, _Known]
    ) -> _Known | None:
        """The stored record this gid is a version of, if any."""
        if gid in by_gid:
            return by_gid[gid]
        # Older ids redirected, through any number of versions, to this one.
        seen, frontier = {gid}, [gid]
        for _ in range(MAX_REDIRECT_HOPS):
            older = [o for g in frontier for o in self.redirected_to.get(g, ()) if o not in seen]
            for old in older:
                if old in by_gid:
                    return by_gid[old]
            seen.update(older)
            frontier = older
            if not frontier:
                break
        parts = split_gid(gid)
        known = by_stable.get(parts.stable) if parts else None
        if known is None or parts is None:
            return None
        # Same id but for the version letter: the same record, unless ParlParse redirected
        # the stored one to a record with a different id (numbering by column can shift).
        end = self._redirect_end(known.source_id)
        end_parts = split_gid(end)
        if end != known.source_id and (end_parts is None or end_parts.stable != parts.stable):
            return None
        return known

    def _redirect_end(self, gid: str) -> str:
        for _ in range(MAX_REDIRECT_HOPS):
            following = self.redirected_from.get(gid)
            if following is None:
                return gid
            gid = following
        return gid


@dataclass(slots=True)
class _NewRow:
    """A row to insert: its values by attname, and its id once inserted."""

    values: dict[str, Any]
    pk: int = 0


def _insert(model: type[WrittenQuestion] | type[WrittenAnswer], rows: list[_NewRow]) -> None:
    ids = model_rows_insert(model, [row.values for row in rows], key="source_id")
    for row in rows:
        row.pk = ids[row.values["source_id"]]


def _digest(*parts: object) -> str:
    """The content hash of a record: its parts, separated so that no two differ only in
    where one part ends."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def _stable(gid: str) -> str:
    parts = split_gid(gid)
    return parts.stable if parts else gid


def _number(question: ParsedQuestion) -> str:
    """The question number for its permalink; "101-1" from the id where there is none."""
    if question.uins:
        return question.uins[0]
    parts = split_gid(question.gid)
    return parts.rest.replace(".", "-") if parts else ""


def _moved(
    day: _Day,
    by_gid: dict[str, _Known],
    by_stable: dict[str, _Known],
    known: _Known,
    gid: str,
    digest: str,
    version: str,
) -> None:
    """Keep the day's index in step with a stored record that now has a newer id or content."""
    if known.source_id == gid and known.content_hash == digest:
        return
    day.forget(by_gid, by_stable, known.source_id)
    known.source_id, known.content_hash = gid, digest
    known.version = max(known.version, version, key=_version_key)
    day.remember(by_gid, by_stable, known)


class _FileImport:
    def __init__(
        self,
        source: SourceFile,
        job: FileJob,
        context: _Context,
        summary: ImportSummary,
        progress: Progress,
        batch_size: int,
        opened: Callable[[], tuple[FileHeader, Iterator[ParsedRecord]]] | None = None,
    ) -> None:
        self.opened = opened
        self.source = source
        self.name = source.path.name
        self.job = job
        self.context = context
        self.summary = summary
        self.progress = progress
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
            header, records = self.opened() if self.opened else read_file(self.source)
        except FileRejected as error:
            self._fail(str(error))
            return
        self.version = header.version
        batch: list[Any] = []
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
                    self.progress.tick(self.summary, where=self.name)
        except FileRejected as error:
            self.flush(batch, done)
            self._fail(str(error))
            return
        self.flush(batch, done, last=True)

    def _fail(self, message: str) -> None:
        self.summary.problem(self.name, message)
        self.job.fail(message, file_counts(self.before, self.summary))

    def flush(self, records: list[Any], done: int, *, last: bool = False) -> None:
        with transaction.atomic():
            relax_durability()
            groups = []
            redirects = []
            for record in records:
                if isinstance(record, QuestionGroup):
                    groups.append(record)
                elif isinstance(record, Redirect):
                    redirects.append(record)
                elif isinstance(record, RecordProblem):
                    self.summary.problem(f"{self.name} line {record.line}", record.message)
            if groups:
                self._write_groups(groups)
            if redirects:
                self._write_redirects(redirects)
            self.job.checkpoint(done)
            if last:
                # In the same transaction: a file is complete exactly when its last batch is.
                self.job.complete(file_counts(self.before, self.summary))

    # Questions and answers -------------------------------------------------------------

    def _write_groups(self, groups: list[QuestionGroup]) -> None:
        new_questions: list[_NewRow] = []
        changed_questions: dict[int, dict[str, Any]] = {}
        refreshed_questions: dict[int, dict[str, Any]] = {}
        # Per group, per question: the stored id, or the new row (its id comes on creation).
        plans: list[tuple[QuestionGroup, int | None, list[int | _NewRow]]] = []
        for group in groups:
            day = self.day(group.date)
            department_id = self._department(group)
            refs: list[int | _NewRow] = []
            for question in group.questions:
                if not self._first_sight(question.gid, question.line):
                    continue
                ref = self._plan_question(
                    day,
                    group,
                    question,
                    department_id,
                    new_questions,
                    changed_questions,
                    refreshed_questions,
                )
                if ref is not None:
                    refs.append(ref)
            plans.append((group, department_id, refs))
        _insert(WrittenQuestion, new_questions)
        questions_save(new=[], changed=changed_questions, refreshed=refreshed_questions)
        for row in new_questions:
            values = row.values
            self.day(values["date"]).remember_question(
                _Known(
                    row.pk,
                    values["source_id"],
                    values["source_version"],
                    values["content_hash"],
                    values["identifier"],
                )
            )
        self._write_answers(plans)

    def _plan_question(
        self,
        day: _Day,
        group: QuestionGroup,
        question: ParsedQuestion,
        department_id: int | None,
        new: list[_NewRow],
        changed: dict[int, dict[str, Any]],
        refreshed: dict[int, dict[str, Any]],
    ) -> int | _NewRow | None:
        digest = _digest(
            self.source.house,
            group.major_heading,
            group.heading,
            question.text,
            " ".join(question.uins),
            question.speaker_id,
            question.speaker_name,
            question.column,
            question.url,
            group.position,
        )
        known = day.match(question.gid, day.questions, day.questions_by_stable)
        if known is None and _version_key(self.version) < _version_key(day.newest_version):
            # A question only in a superseded version: the newer record left it out.
            self.summary.add("questions", "superseded")
            return None
        values: dict[str, Any] = {
            "house": self.source.house,
            "uin": question.uins[0][:20] if question.uins else "",
            "other_uins": " ".join(question.uins[1:])[:200],
            "heading": group.heading[:300],
            "department_id": department_id,
            "asking_person_id": self.context.speakers.person_id(question.speaker_id),
            "asking_name": question.speaker_name[:200],
            "asking_speaker_id": question.speaker_id[:120],
            "text": question.text,
            "source_id": question.gid,
            "source_url": question.url[:500],
            "column": question.column[:20],
            "position": group.position,
            "source_version": self.version,
            "content_hash": digest,
        }
        if known is None:
            values["date"] = group.date
            values["identifier"] = question_identifier(
                heading=group.heading, number=_number(question), taken=day.identifiers
            )
            row = _NewRow(values)
            new.append(row)
            self.summary.add("questions", "created")
            day.newest_version = max(day.newest_version, self.version, key=_version_key)
            return row
        if self._stored("questions", known, question.gid, digest, values, changed, refreshed):
            _moved(
                day,
                day.questions,
                day.questions_by_stable,
                known,
                question.gid,
                digest,
                self.version,
            )
        # An older version of a question stored from a newer one still answers the same.
        return known.id

    def _stored(
        self,
        kind: str,
        known: _Known,
        gid: str,
        digest: str,
        values: dict[str, Any],
        changed: dict[int, dict[str, Any]],
        refreshed: dict[int, dict[str, Any]],
    ) -> bool:
        """What to do with a record stored before: nothing, a new id only, or an update.
        False when the stored one comes from a newer version than this file."""
        if _version_key(self.version) < _version_key(known.version):
            self.summary.add(kind, "unchanged")
            return False
        if known.content_hash == digest:
            self.summary.add(kind, "unchanged")
            if known.source_id != gid:
                refreshed[known.id] = {"source_id": gid, "source_version": self.version}
        else:
            changed[known.id] = values
            self.summary.add(kind, "updated")
        return True

    def _first_sight(self, gid: str, line: int) -> bool:
        """False (and reported) for an id this file has already used."""
        if gid in self.gids_seen:
            self.summary.problem(f"{self.name} line {line}", f"{gid} appears twice")
            return False
        self.gids_seen.add(gid)
        return True

    def _department(self, group: QuestionGroup) -> int | None:
        department_id = self.context.departments.for_heading(group.major_heading)
        if department_id is None and group.answers:
            answerer = self.context.speakers.person_id(group.answers[0].speaker_id)
            department_id = self.context.speakers.department_on(answerer, group.date)
        return department_id

    def _write_answers(
        self, plans: list[tuple[QuestionGroup, int | None, list[int | _NewRow]]]
    ) -> None:
        new: list[_NewRow] = []
        changed: dict[int, dict[str, Any]] = {}
        refreshed: dict[int, dict[str, Any]] = {}
        wanted: list[tuple[_Day, int | _NewRow, set[int]]] = []
        for group, department_id, refs in plans:
            question_ids = {ref if isinstance(ref, int) else ref.pk for ref in refs}
            if not question_ids:
                continue
            day = self.day(group.date)
            for answer in group.answers:
                if not self._first_sight(answer.gid, answer.line):
                    continue
                ref = self._plan_answer(
                    day, group, answer, department_id, question_ids, new, changed, refreshed
                )
                if ref is not None:
                    wanted.append((day, ref, question_ids))
        _insert(WrittenAnswer, new)
        answers_save(new=[], changed=changed, refreshed=refreshed)
        add: list[tuple[int, int]] = []
        remove: list[tuple[int, int]] = []
        for day, ref, question_ids in wanted:
            if isinstance(ref, _NewRow):
                answer_id = ref.pk
                values = ref.values
                day.remember_answer(
                    _Known(
                        answer_id,
                        values["source_id"],
                        values["source_version"],
                        values["content_hash"],
                    )
                )
            else:
                answer_id = ref
            current = day.links[answer_id]
            add += [(answer_id, q) for q in question_ids - current]
            remove += [(answer_id, q) for q in current - question_ids]
            day.links[answer_id] = set(question_ids)
        # Only links the day does not have yet are added (the day's links are loaded).
        answer_links_save(add=add, remove=remove, may_exist=False)

    def _plan_answer(
        self,
        day: _Day,
        group: QuestionGroup,
        answer: ParsedAnswer,
        department_id: int | None,
        question_ids: set[int],
        new: list[_NewRow],
        changed: dict[int, dict[str, Any]],
        refreshed: dict[int, dict[str, Any]],
    ) -> int | _NewRow | None:
        answering_person_id = self.context.speakers.person_id(answer.speaker_id)
        if department_id is None:
            department_id = self.context.speakers.department_on(answering_person_id, group.date)
        digest = _digest(
            answer.body_html,
            answer.speaker_id,
            answer.speaker_name,
            answer.holding_answer_date,
            answer.column,
            answer.url,
            group.major_heading,
            # Which questions it answers, by ids that stay the same from version to version.
            *sorted(_stable(q.gid) for q in group.questions),
        )
        known = day.match(answer.gid, day.answers, day.answers_by_stable)
        values: dict[str, Any] = {
            "date_answered": group.date,
            "answering_person_id": answering_person_id,
            "answering_name": answer.speaker_name[:200],
            "answering_speaker_id": answer.speaker_id[:120],
            "department_id": department_id,
            "body_html": answer.body_html,
            "holding_answer_date": answer.holding_answer_date,
            "source_id": answer.gid,
            "source_url": answer.url[:500],
            "column": answer.column[:20],
            "source_version": self.version,
            "content_hash": digest,
        }
        if known is None:
            self.summary.add("answers", "created")
            row = _NewRow(values)
            new.append(row)
            return row
        if not self._stored("answers", known, answer.gid, digest, values, changed, refreshed):
            return None
        _moved(day, day.answers, day.answers_by_stable, known, answer.gid, digest, self.version)
        return known.id

    # Redirects ---------------------------------------------------------------------------

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
                else RedirectKind.CHANGES
            )
            day = self.day(parts.date)
            current = day.redirected_from.get(redirect.old_gid)
            if current == redirect.new_gid:
                self.summary.add("redirects", "unchanged")
            elif current is None:
                new.append(
                    {
                        "old_source_id": redirect.old_gid[:160],
                        "new_source_id": redirect.new_gid[:160],
                        "kind": kind,
                        "date": parts.date,
                    }
                )
                self.summary.add("redirects", "created")
            else:
                moved.append((redirect.old_gid, redirect.new_gid, kind))
                self.summary.add("redirects", "updated")
            day.note_redirect(redirect.old_gid, redirect.new_gid)
            if kind == RedirectKind.REMOVED:
                removed.append(redirect)
        model_rows_insert(WrittenQuestionRedirect, new)
        for old, new_gid, kind in moved:
            WrittenQuestionRedirect.objects.filter(old_source_id=old).update(
                new_source_id=new_gid, kind=kind
            )
        if removed:
            self._remove(removed)

    def _remove(self, removed: list[Redirect]) -> None:
        """Questions and answers a newer version left out of the record: their pages go, and
        their permalinks lead where ParlParse says the record now is."""
        question_ids: list[int] = []
        answer_ids: list[int] = []
        permalinks: list[WrittenQuestionRedirect] = []
        for redirect in removed:
            parts = split_gid(redirect.old_gid)
            if parts is None:
                continue
            day = self.day(parts.date)
            question = day.questions.get(redirect.old_gid)
            if question is not None:
                question_ids.append(question.id)
                permalinks.append(
                    WrittenQuestionRedirect(
                        date=parts.date,
                        identifier=question.identifier,
                        new_source_id=redirect.new_gid[:160],
                        kind=RedirectKind.PERMALINK,
                    )
                )
                day.forget(day.questions, day.questions_by_stable, redirect.old_gid)
                self.summary.add("questions", "removed")
            answer = day.answers.get(redirect.old_gid)
            if answer is not None:
                answer_ids.append(answer.id)
                day.forget(day.answers, day.answers_by_stable, redirect.old_gid)
                self.summary.add("answers", "removed")
        WrittenQuestionRedirect.objects.bulk_create(permalinks, ignore_conflicts=True)
        WrittenAnswer.objects.filter(id__in=answer_ids).delete()
        WrittenQuestion.objects.filter(id__in=question_ids).delete()
