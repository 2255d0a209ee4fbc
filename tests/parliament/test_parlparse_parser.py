"""Reading ParlParse files into records, without a database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from moot.parliament.importers import safexml
from moot.parliament.importers.parlparse import (
    QuestionGroup,
    RecordProblem,
    Redirect,
    find_files,
    read_file,
    source_file,
    split_gid,
)
from moot.parliament.importers.safexml import UnsafeXML


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


# Reading record by record ----------------------------------------------------------------

PROLOG = (
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
    '<!DOCTYPE publicwhip [\n <!ENTITY pound "&#163;">\n]>\n'
    '<publicwhip scrapeversion="a" latest="yes">\n'
)


def ques(number: int, text: str = "A question") -> str:
    """A question under its own heading, on one line."""
    return (
        f"<minor-heading>Subject {number}</minor-heading>"
        f'<ques id="uk.org.publicwhip/wrans/2009-11-06a.{number}.q0" speakername="X">'
        f'<p qnum="{number}">{text}</p></ques>\n'
    )


def write(tmp_path: Path, body: str, end: str = "</publicwhip>\n") -> Path:
    path = tmp_path / "answers2009-11-06a.xml"
    path.write_bytes((PROLOG + body + end).encode("latin-1"))
    return path


def read_until_error(path: Path) -> tuple[list[QuestionGroup], str]:
    _header, records = read_file(source_file(path))
    read: list[QuestionGroup] = []
    try:
        for record in records:
            assert not isinstance(record, RecordProblem), record
            if isinstance(record, QuestionGroup):
                read.append(record)
    except UnsafeXML as error:
        return read, str(error)
    return read, ""


def test_an_error_in_a_record_keeps_every_record_before_it_and_names_its_line(
    tmp_path: Path,
) -> None:
    """Thousands of records, parsed many at a time: the lines stay right, and a record
    that breaks (an undeclared entity, which libxml2 2.14 raises on before delivering the
    elements ahead of it) costs only itself and what follows."""
    records = [ques(n, f"Question {n} costs &pound;{n}") for n in range(1, 3001)]
    records[2499] = ques(2500, "To ask &undeclared; the Secretary of State")
    path = write(tmp_path, "".join(records))
    read, error = read_until_error(path)
    assert [g.questions[0].uins for g in read] == [[str(n)] for n in range(1, 2500)]
    assert [g.line for g in read] == list(range(6, 6 + 2499))
    assert read[-1].questions[0].text == "Question 2499 costs £2499"
    assert error == f"line {5 + 2500}: Entity 'undeclared' not defined"


@pytest.mark.parametrize(
    ("inside", "text"),
    [
        ("<!-- </ques> is not the end --> text", "text"),
        ("<![CDATA[ </ques> <b>not markup</b> ]]>", "</ques> <b>not markup</b>"),
        ('<span title="a > b">x</span> and <?pi </ques>?> more', "x and more"),
        ("outer <ques>an inner ques</ques> end", "outer an inner ques end"),
    ],
)
def test_a_record_is_split_where_it_really_ends(tmp_path: Path, inside: str, text: str) -> None:
    path = write(tmp_path, ques(1, inside) + ques(2))
    read, error = read_until_error(path)
    assert error == ""
    assert [g.questions[0].text for g in read] == [text, "A question"]
    assert [g.line for g in read] == [6, 7]


def test_elements_that_are_not_records_are_read_and_dropped_but_their_errors_count(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, ques(1) + "<speech><p>Not a record</p></speech>\n" + ques(2))
    read, error = read_until_error(path)
    assert (len(read), error) == (2, "")
    path = write(tmp_path, ques(1) + "<speech><p>Broken</speech>\n" + ques(2))
    read, error = read_until_error(path)
    assert len(read) == 1
    assert error.startswith("line 7: ")
    assert "mismatch" in error


@pytest.mark.parametrize(
    ("body", "end", "message"),
    [
        (ques(1) + ques(2) + "<ques id='x'><p>cut off", "", "line 8: "),
        (
            ques(1) + ques(2) + "text with &nowhere; in it\n",
            "</publicwhip>\n",
            "line 8: Entity 'nowhere' not defined",
        ),
        (ques(1) + ques(2), "</publicwhip>\n<extra/>\n", "line 9: Extra content"),
        (ques(1) + ques(2) + "< ques>\n", "</publicwhip>\n", "line 8: "),
    ],
)
def test_a_file_broken_after_its_records_keeps_them_and_names_the_line(
    tmp_path: Path, body: str, end: str, message: str
) -> None:
    read, error = read_until_error(write(tmp_path, body, end))
    assert [g.questions[0].uins for g in read] == [["1"], ["2"]]
    assert error.startswith(message), error


def test_a_record_longer_than_the_limit_stops_the_file_after_the_records_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safexml, "MAX_RECORD_BYTES", 10_000)
    monkeypatch.setattr(safexml, "READ_BYTES", 4096)
    path = write(tmp_path, ques(1) + ques(2, "x" * 50_000) + ques(3))
    read, error = read_until_error(path)
    assert [g.questions[0].uins for g in read] == [["1"]]
    assert error == "line 7: a record is over 10,000 bytes; moot reads records of up to that"


def test_a_record_of_too_many_elements_is_refused_unparsed_and_the_rest_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safexml, "MAX_ELEMENTS_PER_RECORD", 1000)
    path = write(tmp_path, ques(1) + ques(2, "<i/>" * 5000) + ques(3))
    _header, records = read_file(source_file(path))
    read = list(records)
    assert [type(r).__name__ for r in read] == ["QuestionGroup", "RecordProblem", "QuestionGroup"]
    assert read[1] == RecordProblem(7, read[1].message)  # type: ignore[union-attr]
    assert "5,002 elements; moot accepts up to 1,000 (an oversized tree)" in read[1].message  # type: ignore[union-attr]
