"""Importing UK Parliament written-questions API JSON: ``moot import-written-questions``.

A question is filed under the day it was tabled (which never changes, so its permalink does
not either). Questions answered together share one answer. A holding answer is updated in
place by the full answer that follows, keeping the holding text as a revision; a corrected
answer keeps the original and adds the correction, which ``corrects`` it, each with its date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from moot.core.errors import FileRejected
from moot.parliament.importers.ukparliament import (
    ApiAnswer,
    ApiProblem,
    ApiQuestion,
    load,
    read_records,
)
from moot.parliament.models import (
    Importer,
    WrittenAnswer,
    WrittenAnswerAttachment,
    WrittenQuestion,
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
from moot.parliament.services.records import (
    answer_links_save,
    answers_save,
    question_identifier,
    questions_save,
)
from moot.parliament.services.speakers import SpeakerDirectory, parliament_member_speaker_id

BATCH_RECORDS = 200
QUESTION_PREFIX = "parliament.uk/written-question/"
ANSWER_PREFIX = "parliament.uk/written-answer/"
KINDS = ("questions", "answers")


def written_questions_import(
    *,
    paths: list[Path],
    force: bool = False,
    write: Callable[[str], None] | None = None,
    batch_size: int = BATCH_RECORDS,
) -> ImportSummary:
    """Import UK Parliament written-questions API responses (files, or folders of them).

    Idempotent by content hash, resumable by batch, and never raises for bad input: a file
    that is not an API response, or a record without what a question needs, is reported in
    the summary (by file, or by question id) and skipped.
    """
    summary = ImportSummary()
    files = json_files(paths, summary)
    context = _Context(DepartmentDirectory(), SpeakerDirectory())
    progress = Progress(write, kind="questions")
    for path in files:
        job = FileJob(importer=Importer.WRITTEN_QUESTIONS, path=path, force=force)
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


@dataclass
class _AnswerPlan:
    source_id: str
    values: dict[str, Any]
    question_ids: set[int] = field(default_factory=set)
    attachments: list[WrittenAnswerAttachment] = field(default_factory=list)
    corrects: str = ""


def _group_key(record: ApiQuestion) -> str:
    """One key for every question answered together (each names the others): the House,
    and the lowest question number among them with the day it was tabled. It does not
    change when a holding answer is replaced by the full one, which updates it in place."""
    uins = {record.uin, *record.grouped_uins}
    lead = min(uins, key=lambda uin: (len(uin), uin))
    tabled = record.date_tabled if lead == record.uin else record.grouped_dates.get(lead)
    return f"{ANSWER_PREFIX}{record.house}/{(tabled or record.date_tabled).isoformat()}/{lead}"


class _Batch:
    def __init__(self, name: str, context: _Context, summary: ImportSummary) -> None:
        self.name = name
        self.context = context
        self.summary = summary

    def write(self, items: list[ApiQuestion | ApiProblem]) -> None:
        records: dict[str, ApiQuestion] = {}
        for item in items:
            if isinstance(item, ApiProblem):
                self.summary.problem(f"{self.name} {item.where}", item.message)
            else:
                # The same question twice in one file: the later record stands.
                records[f"{QUESTION_PREFIX}{item.id}"] = item
        question_ids = self._questions(records)
        self._answers(records, question_ids)

    def _questions(self, records: dict[str, ApiQuestion]) -> dict[str, int]:
        existing = {
            row["source_id"]: row
            for row in WrittenQuestion.objects.filter(source_id__in=list(records)).values(
                "id", "source_id", "content_hash", "source_version"
            )
        }
        taken: dict[Any, set[str]] = defaultdict(set)
        for date, identifier in WrittenQuestion.objects.filter(
            date__in={r.date_tabled for r in records.values()}
        ).values_list("date", "identifier"):
            taken[date].add(identifier)
        new: list[WrittenQuestion] = []
        changed: dict[int, dict[str, Any]] = {}
        ids: dict[str, int] = {}
        for source_id, record in records.items():
            asker = (
                parliament_member_speaker_id(record.asking_member_id)
                if record.asking_member_id
                else ""
            )
            values: dict[str, Any] = {
                "house": record.house,
                "uin": record.uin,
                "heading": record.heading[:300],
                "department_id": self.context.departments.for_answering_body(
                    record.answering_body_id, record.answering_body_name
                ),
                "asking_person_id": self.context.speakers.person_id(asker),
                "asking_name": record.asking_member_name[:200],
                "asking_speaker_id": asker,
                "text": record.text,
                "date_tabled": record.date_tabled,
                "date_for_answer": record.date_for_answer,
                "is_named_day": record.is_named_day,
                "is_withdrawn": record.is_withdrawn,
                "source_id": source_id,
                "source_url": record.source_url,
                "source_version": record.version,
            }
            digest = content_hash(
                {k: v for k, v in values.items() if k not in ("asking_person_id", "department_id")}
                | {"answering_body": record.answering_body_name}
            )
            values["content_hash"] = digest
            row = existing.get(source_id)
            if row is None:
                question = WrittenQuestion(
                    date=record.date_tabled,
                    identifier=question_identifier(
                        heading=record.heading, number=record.uin, taken=taken[record.date_tabled]
                    ),
                    **values,
                )
                new.append(question)
                self.summary.add("questions", "created")
            elif row["content_hash"] == digest or record.version < row["source_version"]:
                ids[source_id] = row["id"]
                self.summary.add("questions", "unchanged")
            else:
                ids[source_id] = row["id"]
                changed[row["id"]] = values
                self.summary.add("questions", "updated")
        questions_save(new=new, changed=changed)
        ids.update({q.source_id or "": q.pk for q in new})
        return ids

    def _answers(self, records: dict[str, ApiQuestion], question_ids: dict[str, int]) -> None:
        plans: dict[str, _AnswerPlan] = {}
        for source_id, record in records.items():
            answer = record.answer
            if answer is None or source_id not in question_ids:
                continue
            key = _group_key(record)
            question_id = question_ids[source_id]
            if answer.is_correction and answer.original_text_html:
                self._plan(
                    plans,
                    key,
                    record,
                    answer,
                    question_id,
                    body=answer.original_text_html,
                    original=True,
                )
                correction = self._plan(
                    plans,
                    f"{key}/correction",
                    record,
                    answer,
                    question_id,
                    body=answer.text_html,
                    original=False,
                )
                correction.corrects = key
            else:
                self._plan(
                    plans, key, record, answer, question_id, body=answer.text_html, original=False
                )
        if not plans:
            return
        existing: dict[str, dict[str, Any]] = {
            str(row["source_id"]): dict(row)
            for row in WrittenAnswer.objects.filter(source_id__in=list(plans)).values(
                "id", "source_id", "content_hash"
            )
        }
        # Originals first: a correction needs the id of the answer it corrects.
        for corrections in (False, True):
            self._save([p for p in plans.values() if bool(p.corrects) == corrections], existing)

    def _plan(
        self,
        plans: dict[str, _AnswerPlan],
        key: str,
        record: ApiQuestion,
        answer: ApiAnswer,
        question_id: int,
        *,
        body: str,
        original: bool,
    ) -> _AnswerPlan:
        correcting = not original and answer.is_correction
        member_id = (
            (answer.correcting_member_id or answer.answering_member_id)
            if correcting
            else answer.answering_member_id
        )
        member_name = (
            (answer.correcting_member_name or answer.answering_member_name)
            if correcting
            else answer.answering_member_name
        )
        speaker = parliament_member_speaker_id(member_id) if member_id else ""
        holding_date = answer.date_holding_answer if not answer.is_holding else None
        values: dict[str, Any] = {
            "date_answered": (answer.date_corrected or answer.date_answered)
            if correcting
            else answer.date_answered,
            "answering_person_id": self.context.speakers.person_id(speaker),
            "answering_name": member_name[:200],
            "answering_speaker_id": speaker,
            "department_id": self.context.departments.for_answering_body(
                record.answering_body_id, record.answering_body_name
            ),
            "body_html": body,
            "is_holding": answer.is_holding and not original and not correcting,
            "holding_answer_date": holding_date,
            "source_id": key,
            "source_url": record.source_url,
            "source_version": record.version,
        }
        plan = plans.get(key) or _AnswerPlan(source_id=key, values=values)
        plan.values = values
        plan.question_ids.add(question_id)
        if not original:
            plan.attachments = [
                WrittenAnswerAttachment(
                    position=n,
                    title=a.title,
                    url=a.url,
                    file_type=a.file_type,
                    file_size=a.file_size,
                )
                for n, a in enumerate(answer.attachments)
            ]
        plans[key] = plan
        return plan

    def _save(self, plans: list[_AnswerPlan], existing: dict[str, dict[str, Any]]) -> None:
        new: list[WrittenAnswer] = []
        changed: dict[int, dict[str, Any]] = {}
        fresh: list[_AnswerPlan] = []
        ids: dict[str, int] = {}
        for plan in plans:
            if plan.corrects:
                corrected = existing.get(plan.corrects)
                plan.values["corrects_id"] = corrected["id"] if corrected else None
            hashed = {
                k: v
                for k, v in plan.values.items()
                if k not in ("answering_person_id", "department_id", "corrects_id")
            }
            hashed["attachments"] = [
                (a.title, a.url, a.file_type, a.file_size) for a in plan.attachments
            ]
            digest = content_hash(hashed)
            plan.values["content_hash"] = digest
            row = existing.get(plan.source_id)
            if row is None:
                new.append(WrittenAnswer(**plan.values))
                fresh.append(plan)
                self.summary.add("answers", "created")
                continue
            ids[plan.source_id] = row["id"]
            if row["content_hash"] == digest:
                self.summary.add("answers", "unchanged")
            else:
                changed[row["id"]] = plan.values
                fresh.append(plan)
                self.summary.add("answers", "updated")
        answers_save(new=new, changed=changed)
        for answer in new:
            existing[answer.source_id or ""] = {"id": answer.pk, "source_id": answer.source_id}
            ids[answer.source_id or ""] = answer.pk
        # A changed answer's attachments are replaced as a whole.
        WrittenAnswerAttachment.objects.filter(answer_id__in=list(changed)).delete()
        attachments = []
        for plan in fresh:
            for attachment in plan.attachments:
                attachment.answer_id = ids[plan.source_id]
                attachments.append(attachment)
        WrittenAnswerAttachment.objects.bulk_create(attachments)
        answer_links_save(
            add=[(ids[p.source_id], question_id) for p in plans for question_id in p.question_ids]
        )
