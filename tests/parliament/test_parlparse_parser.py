"""Reading ParlParse files into records, without a database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from moot.parliament.importers.parlparse import (
    QuestionGroup,
    RecordProblem,
    Redirect,
    find_files,
    read_file,
    source_file,
    split_gid,
)


def groups(path: Path) -> list[QuestionGroup]:
    _header, records = read_file(source_file(path))
    return [r for r in records if isinstance(r, QuestionGroup)]


def test_files_are_found_in_folders_and_read_oldest_version_first(fixtures: Path) -> None:
    found = find_files([fixtures / "v2", fixtures / "lordswrans2009-11-03a.xml"])
    assert [(f.path.name, f.house, f.version) for f in found] == [
        ("answers2009-11-02a.xml", "commons", "a"),
        ("answers2009-11-02b.xml", "commons", "b"),
        ("lordswrans2009-11-03a.xml", "lords", "a"),
    ]


def test_headings_questions_and_replies_become_groups(fixtures: Path) -> None:
    day = groups(fixtures / "v1" / "answers2009-11-02a.xml")
    assert [(g.major_heading, g.heading, len(g.questions), len(g.answers)) for g in day] == [
        ("WORK AND PENSIONS", "Pensions: Uprating", 1, 1),
        ("WORK AND PENSIONS", "Winter Fuel Payments", 2, 1),
        ("HOME DEPARTMENT", "Police: Overtime", 1, 1),
        ("HOME DEPARTMENT", "Asylum: Appeals", 1, 1),
        ("HOME DEPARTMENT", "Identity Cards", 1, 1),
    ]
    first = day[0]
    assert first.date == dt.date(2009, 11, 2)
    question = first.questions[0]
    assert question.uins == ["100001"]
    assert question.speaker_id == "uk.org.publicwhip/member/1743"
    assert question.speaker_name == "Steve Webb"
    assert question.column == "1W"
    assert question.url.endswith("#q1000010")
    assert question.text.endswith("in 2010–11.")


def test_a_holding_answer_line_becomes_a_date_not_body_text(fixtures: Path) -> None:
    answer = groups(fixtures / "v1" / "answers2009-11-02a.xml")[0].answers[0]
    assert answer.holding_answer_date == dt.date(2009, 10, 28)
    assert "holding answer" not in answer.body_html
    assert answer.body_html == "<p>The basic state pension will rise to £97.65 a week.</p>"


def test_tables_are_kept_and_the_rest_sanitised(fixtures: Path) -> None:
    answer = groups(fixtures / "v1" / "answers2009-11-02a.xml")[1].answers[0]
    assert "<table>" in answer.body_html
    assert "<td>Mid Bedfordshire</td>" in answer.body_html
    assert "<script" not in answer.body_html
    assert "onclick" not in answer.body_html
    assert 'href="http://www.example.org/winter-fuel"' in answer.body_html
    assert "pid=" not in answer.body_html


def test_one_question_with_several_numbers_keeps_them_all(fixtures: Path) -> None:
    police = groups(fixtures / "v1" / "answers2009-11-02a.xml")[2].questions[0]
    assert police.uins == ["100004", "100005"]
    assert police.text.splitlines()[0] == "To ask the Secretary of State for the Home Department"


def test_lords_question_numbers(fixtures: Path) -> None:
    day = groups(fixtures / "lordswrans2009-11-03a.xml")
    assert day[0].major_heading == ""
    assert day[0].questions[0].uins == ["HL5901"]
    assert day[0].questions[0].speaker_id == "uk.org.publicwhip/lord/100861"
    assert day[1].questions[0].uins == []


def test_superseded_versions_are_redirects(fixtures: Path) -> None:
    header, records = read_file(source_file(fixtures / "v2" / "answers2009-11-02a.xml"))
    redirects = list(records)
    assert header.latest is False
    assert all(isinstance(r, Redirect) for r in redirects)
    assert {r.match_type for r in redirects} == {"perfectmatch", "changes", "removed"}  # type: ignore[union-attr]


def test_malformed_records_are_reported_with_their_lines_and_the_rest_read(
    fixtures: Path,
) -> None:
    _header, records = read_file(source_file(fixtures / "broken" / "answers2009-11-04a.xml"))
    read = list(records)
    problems = [r for r in read if isinstance(r, RecordProblem)]
    assert [(p.line, p.message) for p in problems] == [
        (18, "reply uk.org.publicwhip/wrans/2009-11-04a.200000.r0 has no question before it"),
        (22, "<ques> has no usable id (none)"),
        (26, "gidredirect without oldgid or newgid"),
    ]
    (group,) = [r for r in read if isinstance(r, QuestionGroup)]
    assert group.heading == "Railways: Electrification"


def test_gids_split_into_day_version_and_a_version_free_id() -> None:
    parts = split_gid("uk.org.publicwhip/wrans/2009-10-27c.295019.q0")
    assert parts is not None
    assert (parts.date, parts.version, parts.rest) == (dt.date(2009, 10, 27), "c", "295019.q0")
    assert parts.stable == "uk.org.publicwhip/wrans/2009-10-27.295019.q0"
    assert split_gid("nonsense") is None
    assert split_gid("uk.org.publicwhip/wrans/2009-13-45a.1.q0") is None
