"""The three import commands: what they print, and how they end."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from moot.cli import command_summaries
from moot.parliament.models import Person, WrittenQuestion

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_import_parlparse_prints_a_summary(fixtures: Path) -> None:
    output = run("import_parlparse", str(fixtures / "v1"), str(fixtures / "v2"))
    assert "Read 3 files" in output
    assert "questions: 7 created, 0 updated, 5 unchanged, 1 removed" in output
    assert "answers: 6 created, 1 updated, 3 unchanged, 1 removed" in output
    assert "redirects: 19 created, 0 updated, 0 unchanged" in output
    assert "errors: 0" in output
    again = run("import_parlparse", str(fixtures / "v1"), str(fixtures / "v2"))
    assert "(3 unchanged since the last import)" in again
    assert "0 created, 0 updated" in again


def test_errors_are_listed_and_the_command_fails_after_importing_the_rest(
    fixtures: Path,
) -> None:
    out = StringIO()
    with pytest.raises(CommandError, match="4 file\\(s\\) or record\\(s\\) could not be imported"):
        call_command("import_parlparse", str(fixtures / "broken"), stdout=out)
    output = out.getvalue()
    assert "answers2009-11-04a.xml line 22: <ques> has no usable id (none)" in output
    assert "answers2009-11-05a.xml: line 35: Entity 'undeclared' not defined" in output
    assert WrittenQuestion.objects.filter(uin__in=["200001", "300001"]).count() == 2


def test_import_members_and_written_questions(fixtures: Path) -> None:
    out = StringIO()
    with pytest.raises(CommandError, match="2 file"):
        call_command("import_members", str(fixtures / "people.json"), stdout=out)
    assert "people: 6 created" in out.getvalue()
    assert "people.json persons[7]: record without an id" in out.getvalue()
    assert Person.objects.count() == 6
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_written_questions",
            str(fixtures / "written-questions-2024-02.json"),
            stdout=out,
        )
    assert "questions: 6 created" in out.getvalue()
    assert "written question 9000007: needs uin, questionText and dateTabled" in out.getvalue()


def test_the_commands_are_listed_by_moot_help() -> None:
    names = dict(command_summaries())
    assert names["import-parlparse"].startswith("Import ParlParse written answers")
    assert names["import-members"].startswith("Import people, parties, seats and posts")
    assert names["import-written-questions"].startswith("Import UK Parliament written-questions")


def test_hostile_json_gives_each_command_a_listed_error_not_a_traceback(
    fixtures: Path, tmp_path: Path
) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    long_number = b"9" * 5000
    members = tmp_path / "members"
    members.mkdir()
    (members / "deep.json").write_bytes(b'{"persons": ' + deep + b"}")
    (members / "long.json").write_bytes(b'{"persons": [{"id": ' + long_number + b"}]}")
    (members / "people.json").write_bytes((fixtures / "people.json").read_bytes())
    out = StringIO()
    with pytest.raises(CommandError, match="4 file\\(s\\) or record\\(s\\)"):
        call_command("import_members", str(members), stdout=out)
    output = out.getvalue()
    assert "deep.json: arrays or objects are nested more than 64 deep" in output
    assert "long.json: a number has more than 4,300 digits" in output
    assert Person.objects.count() == 6

    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "deep.json").write_bytes(b'{"results": [{"value": ' + deep + b"}]}")
    data = json.loads((fixtures / "written-questions-2024-02.json").read_text())
    template = data["results"][0]["value"]
    data["results"] += [
        {"value": {**template, "id": "²", "uin": "49991"}},
        {"value": {**template, "id": 9000991, "uin": "49992", "attachments": 5}},
    ]
    (questions / "february.json").write_text(json.dumps(data))
    out = StringIO()
    with pytest.raises(CommandError, match="5 file\\(s\\) or record\\(s\\)"):
        call_command("import_written_questions", str(questions), stdout=out)
    output = out.getvalue()
    assert "deep.json: arrays or objects are nested more than 64 deep" in output
    assert "february.json written question ²: id is not a number: '²'" in output
    assert "february.json written question 9000991: attachments is not a list: 5" in output
    assert "questions: 6 created" in output
    assert WrittenQuestion.objects.count() == 6
