"""Importing UK Parliament written-statements API JSON: statements, attachments, linked
statements, newer versions, and bad or hostile input reported without losing the rest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from moot.core.models import Department
from moot.parliament.models import (
    ImportedFile,
    ImportStatus,
    Person,
    StatementLinkKind,
    WrittenStatement,
    WrittenStatementRevision,
)
from moot.parliament.services.written_statements import written_statements_import

pytestmark = pytest.mark.django_db

LIST = "written-statements-2024-02.json"
LATER = "written-statements-2024-02-later.json"


def statement(uin: str) -> WrittenStatement:
    return WrittenStatement.objects.get(uin=uin)


def test_a_list_response_is_imported_and_bad_records_reported_by_id(fixtures: Path) -> None:
    summary = written_statements_import(paths=[fixtures / LIST])
    assert summary.get("statements", "created") == 3
    assert [str(p) for p in summary.problems] == [
        f"{LIST} written statement 1700103: an attachment's url is not a web address: "
        "'javascript:alert(1)'; it was left out",
        f"{LIST} written statement 1700104: dateMade is not a date: 'not a date'",
    ]
    # The statement with the bad attachment is kept, without it.
    assert not statement("HCWS251").attachments.exists()
    guidance = statement("HCWS250")
    assert guidance.date == dt.date(2024, 2, 5)
    assert guidance.house == "commons"
    assert guidance.title == "Keeping Children Safe in Education: Revised Guidance"
    # The title's first 50 or so characters, then the number.
    assert guidance.identifier == "keeping-children-safe-in-education-revised-hcws250"
    assert guidance.department.name == "Department for Education"
    assert guidance.department.parliament_answering_body_id == 60
    assert guidance.speaker_name == "Helen Goodman"
    assert guidance.speaker_id == "parliament.uk/member/99002"
    assert guidance.member_role == (
        "Parliamentary Under-Secretary of State for Children and Families"
    )
    assert guidance.source_id == "parliament.uk/written-statement/1700101"
    assert guidance.source_url == (
        "https://questions-statements.parliament.uk/written-statements/detail/2024-02-05/HCWS250"
    )
    lords = statement("HLWS230")
    assert lords.house == "lords"
    assert lords.department == guidance.department
    # Same title on the same day in both Houses: two permalinks, each with its number.
    assert lords.identifier.endswith("-hlws230")


def test_statement_html_is_sanitised(fixtures: Path) -> None:
    written_statements_import(paths=[fixtures / LIST])
    body = statement("HCWS250").body_html
    assert "<script" not in body
    assert "onclick" not in body
    assert "<em>Keeping children safe in education</em>" in body
    assert "<p>&nbsp;</p>" not in body
    assert "<p>\xa0</p>" not in body


def test_attachments_and_linked_statements_are_kept(fixtures: Path) -> None:
    written_statements_import(paths=[fixtures / LIST])
    guidance = statement("HCWS250")
    attachment = guidance.attachments.get()
    assert (attachment.title, attachment.file_type, attachment.file_size) == (
        "Draft guidance",
        "PDF",
        482133,
    )
    link = guidance.links.get()
    assert link.kind == StatementLinkKind.JOINT_STATEMENT
    assert link.linked_source_id == "parliament.uk/written-statement/1700102"
    assert link.link_date == dt.date(2024, 2, 5)


def test_a_correction_links_to_the_statement_it_corrects(fixtures: Path) -> None:
    written_statements_import(paths=[fixtures / LIST, fixtures / LATER])
    correction = statement("HCWS262")
    link = correction.links.get()
    assert link.kind == StatementLinkKind.CORRECTED_STATEMENT
    assert link.linked_source_id == statement("HCWS250").source_id


def _record(path: Path, **changes: Any) -> Path:
    data = json.loads((path).read_text())
    data["results"][0]["value"].update(changes)
    return data


def test_a_newer_record_updates_in_place_and_keeps_the_old_text(
    fixtures: Path, tmp_path: Path
) -> None:
    written_statements_import(paths=[fixtures / LIST])
    before = statement("HCWS250")
    changed = _record(
        fixtures / LIST,
        text="<p>Revised text of the statement.</p>",
        attachments=[
            {"url": "https://example.org/final.pdf", "title": "Final guidance", "fileType": "PDF"}
        ],
    )
    (tmp_path / "newer.json").write_text(json.dumps(changed))
    summary = written_statements_import(paths=[tmp_path / "newer.json"])
    assert summary.get("statements", "updated") == 1
    assert summary.get("statements", "unchanged") == 2
    after = statement("HCWS250")
    assert after.pk == before.pk
    assert after.identifier == before.identifier
    assert after.body_html == "<p>Revised text of the statement.</p>"
    assert list(after.attachments.values_list("title", flat=True)) == ["Final guidance"]
    revision = WrittenStatementRevision.objects.get(statement=after)
    assert "Keeping children safe in education" in revision.content["body_html"]


def test_importing_twice_changes_nothing(fixtures: Path) -> None:
    written_statements_import(paths=[fixtures / LIST, fixtures / LATER])
    rows = list(WrittenStatement.objects.values().order_by("id"))
    links = list(WrittenStatement.objects.values_list("links__id", "attachments__id"))
    again = written_statements_import(paths=[fixtures / LIST, fixtures / LATER])
    assert again.files_unchanged == 2
    assert again.get("statements", "created") == again.get("statements", "updated") == 0
    forced = written_statements_import(paths=[fixtures / LIST, fixtures / LATER], force=True)
    assert forced.get("statements", "unchanged") == 4
    assert list(WrittenStatement.objects.values().order_by("id")) == rows
    assert list(WrittenStatement.objects.values_list("links__id", "attachments__id")) == links


def test_members_are_resolved_by_their_parliament_id(fixtures: Path) -> None:
    from moot.parliament.services.members import members_import

    members_import(paths=[fixtures / "people.json"])
    written_statements_import(paths=[fixtures / LIST])
    assert statement("HCWS250").person == Person.objects.get(parliament_member_id=99002)
    assert statement("HLWS230").person is None


def test_a_file_of_written_questions_is_not_taken_for_statements(fixtures: Path) -> None:
    summary = written_statements_import(paths=[fixtures / "written-questions-2024-02.json"])
    assert summary.errors > 0
    assert all("a written question, not a statement" in p.message for p in summary.problems)
    assert WrittenStatement.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested more than 64 deep"),
        (b'{"value": ' + b"1" * 5000 + b"}", "more than 4,300 digits"),
        (b"\xff\xfe not json", "not UTF-8"),
        (b'{"value": {"id": 1, "uin": "HCWS1"', "not JSON"),
        (b'{"something": "else"}', "not a written-statements API response"),
        (b'"a string"', "not a written-statements API response"),
    ],
)
def test_hostile_json_files_are_refused_with_their_reason_and_the_others_imported(
    fixtures: Path, tmp_path: Path, content: bytes, reason: str
) -> None:
    (tmp_path / "a-hostile.json").write_bytes(content)
    (tmp_path / "b-good.json").write_bytes((fixtures / LATER).read_bytes())
    summary = written_statements_import(paths=[tmp_path])
    assert [p.where for p in summary.problems] == ["a-hostile.json"]
    assert reason in summary.problems[0].message
    assert statement("HCWS262")
    assert ImportedFile.objects.get(path__endswith="a-hostile.json").status == ImportStatus.FAILED


def test_hostile_records_are_reported_each_by_id_and_the_rest_imported(tmp_path: Path) -> None:
    good = {
        "id": 5,
        "uin": "HCWS5",
        "dateMade": "2024-03-01T00:00:00",
        "title": "Good",
        "text": "<p>Fine.</p>",
        "answeringBodyName": "Department for Education",
    }
    records = [
        {**good, "id": "²"},
        {**good, "id": 2**40},
        {**good, "id": 7, "memberId": True},
        {**good, "id": 8, "linkedStatements": "no"},
        {**good, "id": 9, "linkedStatements": [{"linkType": "JointStatement"}]},
        {**good, "id": 10, "uin": "HCWS10", "attachments": [{"title": "no url"}]},
        {**good, "id": 11, "text": "<script>only a script</script>"},
        "not an object",
        good,
    ]
    (tmp_path / "records.json").write_text(json.dumps({"results": records}))
    summary = written_statements_import(paths=[tmp_path / "records.json"])
    assert summary.errors == 8
    # The one whose attachment had no address is kept, without it.
    assert summary.get("statements", "created") == 2
    assert not statement("HCWS10").attachments.exists()
    assert [p.where.split(" ", 1)[1] for p in summary.problems][:3] == [
        "written statement ²",
        "written statement 1099511627776",
        "written statement 7",
    ]
    assert statement("HCWS5").department == Department.objects.get(name="Department for Education")
