"""Importing UK Parliament written-questions API JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from moot.core.models import Department
from moot.parliament.models import (
    ImportedFile,
    WrittenAnswer,
    WrittenAnswerRevision,
    WrittenQuestion,
)
from moot.parliament.selectors.timeliness import Timeliness, question_facts, question_timeliness
from moot.parliament.services.written_questions import written_questions_import
from tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

FEBRUARY = "written-questions-2024-02.json"


def question(uin: str) -> WrittenQuestion:
    return WrittenQuestion.objects.get(uin=uin)


def test_a_list_response_is_imported_and_bad_records_reported_by_id(fixtures: Path) -> None:
    summary = written_questions_import(paths=[fixtures / FEBRUARY])
    assert summary.get("questions", "created") == 6
    assert [str(p) for p in summary.problems] == [
        f"{FEBRUARY} written question 9000007: needs uin, questionText and dateTabled",
        f"{FEBRUARY} written question 9000008: dateTabled is not a date: 'the third of February'",
    ]
    poverty = question("40001")
    assert poverty.date == dt.date(2024, 2, 1)  # filed under the day it was tabled
    assert poverty.identifier == "pensioners-poverty-40001"
    assert poverty.department.name == "Department for Work and Pensions"
    assert poverty.department.parliament_answering_body_id == 17
    assert poverty.source_url == (
        "https://questions-statements.parliament.uk/written-questions/detail/2024-02-01/40001"
    )
    assert poverty.asking_speaker_id == "parliament.uk/member/99002"


def test_answer_html_is_sanitised(fixtures: Path) -> None:
    written_questions_import(paths=[fixtures / FEBRUARY])
    body = question("40001").answers.get().body_html
    assert "<script" not in body
    assert "target=" not in body
    assert 'rel="noopener noreferrer"' in body
    assert "<p> </p>" not in body  # empty paragraphs dropped


def test_grouped_questions_share_one_answer(fixtures: Path) -> None:
    written_questions_import(paths=[fixtures / FEBRUARY])
    answer = question("40001").answers.get()
    assert answer == question("40002").answers.get()
    assert set(answer.questions.values_list("uin", flat=True)) == {"40001", "40002"}


def test_withdrawn_questions_and_attachments(fixtures: Path) -> None:
    written_questions_import(paths=[fixtures / FEBRUARY])
    withdrawn = question("40004")
    assert withdrawn.is_withdrawn
    assert not withdrawn.answers.exists()
    attachment = question("40005").answers.get().attachments.get()
    assert attachment.title == "Food bank use by region"
    assert attachment.file_type == "Excel"
    assert attachment.file_size == 48231


def test_a_correction_keeps_the_original_answer_with_both_dates(fixtures: Path) -> None:
    written_questions_import(paths=[fixtures / FEBRUARY])
    answers = list(question("40006").answers.order_by("date_answered"))
    original, correction = answers
    assert "830,000" in original.body_html
    assert original.date_answered == dt.date(2024, 2, 8)
    assert "380,000" in correction.body_html
    assert correction.date_answered == dt.date(2024, 2, 20)
    assert correction.corrects == original
    assert correction.is_correction


def test_a_holding_answer_is_replaced_in_place_by_the_full_answer(fixtures: Path) -> None:
    written_questions_import(paths=[fixtures / FEBRUARY])
    holding = question("40003").answers.get()
    assert holding.is_holding
    assert holding.date_answered == dt.date(2024, 2, 9)
    summary = written_questions_import(paths=[fixtures / "written-questions-2024-02-later.json"])
    assert summary.get("answers", "updated") == 1
    full = question("40003").answers.get()
    assert full.pk == holding.pk
    assert not full.is_holding
    assert full.holding_answer_date == dt.date(2024, 2, 9)
    assert full.date_answered == dt.date(2024, 2, 15)
    assert "250,000 sanctions" in full.body_html
    revision = WrittenAnswerRevision.objects.get(answer=full)
    assert "as soon as possible" in revision.content["body_html"]
    assert revision.content["is_holding"] is True
    # Timeliness times the full answer, and remembers the holding one.
    facts = {f.date_tabled: f for f in question_facts(year=2024) if f.holding_on}
    assert facts[dt.date(2024, 2, 2)].answered_on == dt.date(2024, 2, 15)
    assert facts[dt.date(2024, 2, 2)].holding_on == dt.date(2024, 2, 9)
    assert facts[dt.date(2024, 2, 2)].is_named_day is False


def test_importing_twice_changes_nothing(fixtures: Path) -> None:
    written_questions_import(paths=[fixtures / FEBRUARY])
    rows = (
        list(WrittenQuestion.objects.values().order_by("id")),
        list(WrittenAnswer.objects.values().order_by("id")),
    )
    forced = written_questions_import(paths=[fixtures / FEBRUARY], force=True)
    assert forced.get("questions", "unchanged") == 6
    assert forced.get("answers", "unchanged") == 5
    assert forced.get("questions", "updated") == forced.get("answers", "updated") == 0
    assert (
        list(WrittenQuestion.objects.values().order_by("id")),
        list(WrittenAnswer.objects.values().order_by("id")),
    ) == rows
    skipped = written_questions_import(paths=[fixtures / FEBRUARY])
    assert skipped.files_unchanged == 1


def test_members_are_resolved_by_their_parliament_id(fixtures: Path) -> None:
    asker = PersonFactory(parliament_member_id=99002)
    written_questions_import(paths=[fixtures / FEBRUARY])
    assert question("40001").asking_person == asker


def test_the_department_is_matched_by_answering_body_then_by_name(fixtures: Path) -> None:
    dwp = DepartmentFactory(name="Department for Work and Pensions", slug="dwp")
    written_questions_import(paths=[fixtures / FEBRUARY])
    dwp.refresh_from_db()
    assert question("40001").department == dwp
    assert dwp.parliament_answering_body_id == 17
    assert Department.objects.count() == 1


def test_a_single_record_response_and_a_resumed_batch(fixtures: Path, tmp_path: Path) -> None:
    data = json.loads((fixtures / FEBRUARY).read_text())
    single = tmp_path / "one.json"
    single.write_text(json.dumps(data["results"][2]))
    summary = written_questions_import(paths=[single])
    assert summary.get("questions", "created") == 1
    # A run that committed its first two batches of two and then stopped:
    whole = tmp_path / "whole.json"
    whole.write_text(json.dumps(data))
    written_questions_import(paths=[whole], batch_size=2)
    record = ImportedFile.objects.get(path=str(whole))
    record.status = "running"
    record.records_done = 4
    record.save()
    resumed = written_questions_import(paths=[whole], batch_size=2)
    assert resumed.get("questions", "unchanged") == 2  # only records 5 onwards were read


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not JSON: line 1"),
        (b'"a string"', "expected an object or a list"),
        (b'{"items": []}', "no value, results or question fields"),
    ],
)
def test_files_that_are_not_api_responses_are_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    summary = written_questions_import(paths=[path])
    assert summary.errors == 1
    assert message in summary.problems[0].message


def test_the_real_record_imports(shared_data: Path) -> None:
    summary = written_questions_import(paths=[shared_data / "ukparliament"])
    assert summary.errors == 0
    record = question("7926")
    assert record.heading == "Apprentices: Employment Agencies"
    assert record.department.name == "Department for Education"
    answer = record.answers.get()
    assert answer.date_answered == dt.date(2024, 1, 10)
    assert "flexi-Job apprenticeship agencies (FJAAs)" in answer.body_html
    assert "target=" not in answer.body_html
    # Tabled Friday 5 January, named for Wednesday 10th, answered that day: on time.
    assert record.is_named_day is True
    assert (record.date_tabled, record.date_for_answer) == (
        dt.date(2024, 1, 5),
        answer.date_answered,
    )
    (facts,) = question_facts(year=2024)
    assert question_timeliness(question=facts, sitting_days=[], today=dt.date(2024, 2, 1)) == (
        Timeliness.ON_TIME
    )


DEEP = b"[" * 100_000 + b"]" * 100_000
# Deep enough to refuse, shallow enough that json.loads itself would accept it.
NESTED = b"[" * 500 + b"]" * 500


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"results": [{"value": ' + DEEP + b"}]}", "nested more than 64 deep"),
        (b'{"results": [{"value": ' + NESTED + b"}]}", "nested more than 64 deep"),
        (b'{"results": [{"value": {"id": ' + b"7" * 5000 + b"}}]}", "more than 4,300 digits"),
    ],
)
def test_hostile_json_files_are_refused_with_their_reason_and_the_others_imported(
    fixtures: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    (tmp_path / "a-hostile.json").write_bytes(content)
    (tmp_path / FEBRUARY).write_bytes((fixtures / FEBRUARY).read_bytes())
    summary = written_questions_import(paths=[tmp_path])
    assert summary.problems[0].where == "a-hostile.json"
    assert message in summary.problems[0].message
    assert summary.get("questions", "created") == 6


def hostile_records(fixtures: Path, tmp_path: Path) -> Path:
    """February's records with three broken ones added: each must be reported alone."""
    data = json.loads((fixtures / FEBRUARY).read_text())
    template = data["results"][0]["value"]
    broken = [
        {**template, "id": "²", "uin": "49991"},  # a digit to str.isdigit, not to int
        {**template, "id": 9000991, "uin": "49992", "attachments": 5},
        {**template, "id": 9000992, "uin": "49993", "askingMemberId": 10**30},
        {**template, "id": 9000993, "uin": "49994", "heading": [[["a"]]] * 3},
    ]
    data["results"] += [{"value": record} for record in broken]
    path = tmp_path / "hostile-records.json"
    path.write_text(json.dumps(data))
    return path


def test_hostile_records_are_reported_each_by_id_and_the_rest_imported(
    fixtures: Path, tmp_path: Path
) -> None:
    summary = written_questions_import(paths=[hostile_records(fixtures, tmp_path)])
    problems = [str(p) for p in summary.problems]
    assert problems[2:] == [
        "hostile-records.json written question ²: id is not a number: '²'",
        "hostile-records.json written question 9000991: attachments is not a list: 5",
        "hostile-records.json written question 9000992: askingMemberId is not a number moot "
        "accepts: 1000000000000000000000000000000",
    ]
    assert summary.get("questions", "created") == 7  # February's six, and the odd heading
    assert question("49994").heading == ""
