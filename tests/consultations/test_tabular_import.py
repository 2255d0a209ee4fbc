"""Responses imported from CSV and XLSX exports made elsewhere, with a column mapping."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from moot.consultations.models import Consultation, Question, Response
from moot.consultations.services import tabular_import
from moot.consultations.services.tabular_import import (
    ColumnMapping,
    MappingInvalid,
    responses_import_table,
)
from moot.core.errors import FileRejected
from tests.samples import make_docx

pytestmark = pytest.mark.django_db

HEADER = [
    "ID",
    "Submitted",
    "Name",
    "Email",
    "Responding as",
    "Organisation",
    "Role",
    "Region",
    "Confidential?",
    "Publish",
    "Clear?",
    "Agencies",
    "Comments",
]
GOOD = [
    [
        "r1",
        "2008-05-01 10:00",
        "Ann",
        "ann@example.org",
        "individual",
        "",
        "Practitioner",
        "London",
        "no",
        "anonymously",
        "Agree",
        "Police; Health",
        "Fine",
    ],
    [
        "r2",
        "02/05/2008 11:30",
        "Bob",
        "",
        "On behalf of an organisation",
        "Harbour Trust",
        "",
        "wales",
        "yes",
        "do_not_publish",
        "strongly disagree",
        "",
        "",
    ],
]
BAD = [
    ["r3", "not a date", "Cat", "", "", "", "", "", "", "", "", "", ""],
    ["r4", "2008-05-03", "Dan", "dan@", "", "", "", "", "", "", "", "", ""],
    ["r5", "2008-05-03", "Eve", "", "", "", "", "", "", "", "Maybe", "", ""],
    ["r6", "2008-05-03", "Fay", "", "", "", "", "", "", "", "", "Police; Aliens", ""],
    ["r7", "2008-05-03", "Gus", "", "", "", "Astronaut", "", "", "", "", "", ""],
    ["r8", "2008-05-03", "Hal", "", "", "", "", "Atlantis", "", "", "", "", ""],
    ["r9", "2008-05-03", "Ivy", "", "", "", "", "", "perhaps", "", "", "", ""],
    ["r10", "2008-05-03", "Jo", "", "", "", "", "", "", "", "", "", "x" * 201],
]
MAPPING = ColumnMapping(
    fields={
        "id": "ID",
        "received_at": "Submitted",
        "respondent_name": "Name",
        "respondent_email": "Email",
        "respondent_type": "Responding as",
        "organisation_name": "Organisation",
        "role": "Role",
        "region": "Region",
        "wants_confidentiality": "Confidential?",
        "publication_consent": "Publish",
    },
    questions={"q1": "Clear?", "q3": "Agencies", "q4": "Comments"},
)


def as_csv(rows: list[list[str]]) -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def as_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encode", [as_csv, as_xlsx])
def test_good_rows_are_imported_and_bad_rows_reported_by_number(
    consultation: Consultation, encode
) -> None:  # type: ignore[no-untyped-def]
    report = responses_import_table(
        consultation=consultation, data=encode([HEADER, *GOOD, *BAD]), mapping=MAPPING
    )
    assert len(report.created) == 2
    assert [error.row for error in report.errors] == [4, 5, 6, 7, 8, 9, 10, 11]
    messages = " ".join(error.message for error in report.errors)
    for expected in [
        "not a date",
        "not an email address",
        '"Maybe" is not an answer to q1',
        '"Aliens"',
        "Astronaut",
        "Atlantis",
        "perhaps",
        "longer than 200",
    ]:
        assert expected in messages
    ann = Response.objects.get(respondent_name="Ann")
    assert ann.channel == "import"
    assert ann.region == "london"
    assert ann.role is not None
    assert ann.wants_confidentiality is False
    answers = {a.question.key: a for a in ann.answers.all()}
    assert [o.label for o in answers["q3"].selected_options.order_by("position")] == [
        "Police",
        "Health",
    ]
    assert answers["q1"].selected_options.get().label == "Agree"
    bob = Response.objects.get(respondent_name="Bob")
    assert bob.respondent_type == "organisation"
    assert bob.organisation_name == "Harbour Trust"
    assert bob.received_at.day == 2
    assert bob.received_at.month == 5
    assert bob.answers.get().selected_options.get().label == "Strongly disagree"


def test_importing_the_same_file_again_adds_nothing(consultation: Consultation) -> None:
    data = as_csv([HEADER, *GOOD])
    responses_import_table(consultation=consultation, data=data, mapping=MAPPING)
    again = responses_import_table(consultation=consultation, data=data, mapping=MAPPING)
    assert again.created == []
    assert again.duplicates == 2
    without_ids = ColumnMapping(fields={"respondent_name": "Name"}, questions={"q4": "Comments"})
    first = responses_import_table(consultation=consultation, data=data, mapping=without_ids)
    second = responses_import_table(consultation=consultation, data=data, mapping=without_ids)
    assert len(first.created) == 2
    assert second.duplicates == 2
    assert Response.objects.count() == 4


def test_a_mapping_that_does_not_fit_is_refused_before_anything_is_stored(
    consultation: Consultation,
) -> None:
    data = as_csv([HEADER, *GOOD])
    for mapping, message in [
        (ColumnMapping(fields={"shoe_size": "Name"}, questions={}), "unknown fields"),
        (ColumnMapping(fields={}, questions={"q99": "Name"}), "no questions with the keys q99"),
        (
            ColumnMapping(fields={"respondent_name": "Full name"}, questions={}),
            "no columns called Full name",
        ),
    ]:
        with pytest.raises(MappingInvalid, match=message):
            responses_import_table(consultation=consultation, data=data, mapping=mapping)
    with pytest.raises(FileRejected):
        responses_import_table(consultation=consultation, data=make_docx("x"), mapping=MAPPING)
    with pytest.raises(FileRejected):
        responses_import_table(consultation=consultation, data=b"", mapping=MAPPING)
    assert Response.objects.count() == 0


def test_import_responses_command_with_a_mapping_file(
    consultation: Consultation, tmp_path: Path
) -> None:
    table = tmp_path / "export.xlsx"
    table.write_bytes(as_xlsx([HEADER, *GOOD, BAD[0]]))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": MAPPING.fields, "questions": MAPPING.questions}))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 rows were not imported"):
        call_command(
            "import_responses",
            str(table),
            "--consultation",
            consultation.slug,
            "--mapping",
            str(mapping),
            stdout=out,
        )
    assert "Row 4: " in out.getvalue()
    assert "Imported 2 responses; 0 already imported; 1 rows with errors" in out.getvalue()


def test_import_responses_command_with_options(consultation: Consultation, tmp_path: Path) -> None:
    table = tmp_path / "export.csv"
    table.write_bytes(as_csv([HEADER, *GOOD]))
    out = io.StringIO()
    call_command(
        "import_responses",
        str(table),
        "--consultation",
        consultation.slug,
        "--column",
        "id=ID",
        "--column",
        "respondent_name=Name",
        "--question",
        "q3=Agencies",
        stdout=out,
    )
    assert "Imported 2 responses" in out.getvalue()
    with pytest.raises(CommandError, match="NAME=COLUMN"):
        call_command(
            "import_responses",
            str(table),
            "--consultation",
            consultation.slug,
            "--column",
            "nonsense",
        )
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command(
            "import_responses",
            str(table),
            "--consultation",
            consultation.slug,
            "--mapping",
            str(bad),
        )
    with pytest.raises(CommandError, match="no consultation"):
        call_command("import_responses", str(table), "--consultation", "nope")


def _rewrite_part(data: bytes, name: str, transform: Callable[[bytes], bytes]) -> bytes:
    """The XLSX file with one of its parts changed, as a hostile or careless tool might."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            content = source.read(member.filename)
            archive.writestr(
                member.filename, transform(content) if member.filename == name else content
            )
    return out.getvalue()


def test_a_field_of_200000_characters_refuses_its_row_only(consultation: Consultation) -> None:
    body = ColumnMapping(
        fields={"id": "ID", "respondent_name": "Name", "body_text": "Comments"}, questions={}
    )
    rows = [HEADER, GOOD[0], [*GOOD[1][:12], "y" * 200_000], *GOOD[1:]]
    rows[3] = ["r3", *GOOD[1][1:12], "kept"]
    report = responses_import_table(consultation=consultation, data=as_csv(rows), mapping=body)
    assert [(error.row, error.message) for error in report.errors] == [
        (3, 'column "Comments" (M) holds 200,000 characters; moot imports cells of up to 100,000')
    ]
    assert sorted(Response.objects.values_list("body_text", flat=True)) == ["Fine", "kept"]


def test_long_names_and_nul_characters_are_refused_not_cut(consultation: Consultation) -> None:
    mapping = ColumnMapping(
        fields={"id": "ID", "respondent_name": "Name", "body_text": "Comments"}, questions={}
    )
    # A NUL in the first 64 KB makes the whole file not text; one further on refuses its row.
    rows = [
        HEADER,
        ["r1", "", "A" * 201, *[""] * 9, "p" * 70_000],
        ["r2", "", "Bob", *[""] * 9, "nul\x00here"],
        ["r3", "", "Cat", *[""] * 10],
    ]
    report = responses_import_table(consultation=consultation, data=as_csv(rows), mapping=mapping)
    assert [(error.row, error.message) for error in report.errors] == [
        (2, 'column "Name" (C) holds 201 characters; a respondent name may have up to 200'),
        (3, 'column "Comments" (M) holds a NUL character, which is not text'),
    ]
    assert list(Response.objects.values_list("respondent_name", flat=True)) == ["Cat"]


def test_a_long_id_is_not_taken_for_another_that_starts_the_same(
    consultation: Consultation,
) -> None:
    mapping = ColumnMapping(fields={"id": "ID", "respondent_name": "Name"}, questions={})
    stem = "x" * 400
    rows = [HEADER, [f"{stem}1", "", "Ann"], [f"{stem}2", "", "Bob"]]
    report = responses_import_table(consultation=consultation, data=as_csv(rows), mapping=mapping)
    assert (len(report.created), report.duplicates) == (2, 0)
    again = responses_import_table(consultation=consultation, data=as_csv(rows), mapping=mapping)
    assert (len(again.created), again.duplicates) == (0, 2)


def test_identical_rows_without_ids_are_each_imported_once(consultation: Consultation) -> None:
    mapping = ColumnMapping(fields={"body_text": "Comments"}, questions={})
    campaign = ["", "", "", "", "", "", "", "", "", "", "", "", "Save our libraries"]
    rows = [HEADER, campaign, campaign, campaign]
    first = responses_import_table(consultation=consultation, data=as_csv(rows), mapping=mapping)
    assert (len(first.created), first.duplicates) == (3, 0)
    again = responses_import_table(consultation=consultation, data=as_csv(rows), mapping=mapping)
    assert (len(again.created), again.duplicates) == (0, 3)
    assert Response.objects.filter(body_text="Save our libraries").count() == 3


def test_an_xlsx_with_an_entity_bomb_is_refused_before_parsing(
    consultation: Consultation,
) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{n} "{(f"&lol{n - 1};" if n > 1 else "&lol;") * 10}">'.encode()
            for n in range(1, 10)
        )
        + b"]>"
    )

    def with_bomb(part: bytes) -> bytes:
        return bomb + part.replace(b"<t>Ann</t>", b"<t>&lol9;</t>")

    data = _rewrite_part(as_xlsx([HEADER, *GOOD]), "xl/worksheets/sheet1.xml", with_bomb)
    with pytest.raises(FileRejected, match=r"xl/worksheets/sheet1\.xml declares a DTD"):
        responses_import_table(consultation=consultation, data=data, mapping=MAPPING)
    utf16 = _rewrite_part(
        as_xlsx([HEADER, *GOOD]),
        "xl/workbook.xml",
        lambda part: ('<!DOCTYPE x [<!ENTITY e "e">]>' + part.decode()).encode("utf-16-le"),
    )
    with pytest.raises(FileRejected, match=r"xl/workbook\.xml declares a DTD"):
        responses_import_table(consultation=consultation, data=utf16, mapping=MAPPING)
    assert Response.objects.count() == 0


def test_an_xlsx_part_expanding_past_the_bound_is_refused(
    consultation: Consultation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small bound stands in for a part of hundreds of megabytes.
    monkeypatch.setattr(tabular_import, "MAX_XLSX_PART_BYTES", 20_000)
    rows = [HEADER, *([GOOD[0]] * 300)]
    with pytest.raises(FileRejected, match=r"sheet1\.xml expands to more than 20,000 bytes"):
        responses_import_table(consultation=consultation, data=as_xlsx(rows), mapping=MAPPING)
    assert Response.objects.count() == 0


def test_formulas_saved_without_their_values_are_reported_not_imported_blank(
    consultation: Consultation,
) -> None:
    # openpyxl writes formulas without values, as many tools do; Excel would save both.
    rows = [HEADER, GOOD[0], [*GOOD[1][:12], '=CONCAT("x", "y")'], ["r3", *GOOD[1][1:]]]
    with_formula = ColumnMapping(fields=MAPPING.fields, questions={"q4": "Comments"})
    report = responses_import_table(
        consultation=consultation, data=as_xlsx(rows), mapping=with_formula
    )
    assert [(error.row, error.message) for error in report.errors] == [
        (
            3,
            'column "Comments" (M) holds a formula with no saved value: open the file in a '
            "spreadsheet program and save it, or paste the values in place of the formulas",
        )
    ]
    assert sorted(Response.objects.values_list("respondent_name", flat=True)) == ["Ann", "Bob"]
    assert not Response.objects.filter(source_key="import-id:r2").exists()
    # A formula whose value was saved with it is imported as that value.
    saved = _rewrite_part(
        as_xlsx([HEADER, [*GOOD[0][:12], "=A1"]]),
        "xl/worksheets/sheet1.xml",
        lambda part: part.replace(b"<f>A1</f><v></v>", b"<f>A1</f><v>Saved text</v>").replace(
            b'r="M2"><f>', b'r="M2" t="str"><f>'
        ),
    )
    report = responses_import_table(
        consultation=consultation,
        data=saved,
        mapping=ColumnMapping(fields={"respondent_name": "Name"}, questions={"q4": "Comments"}),
    )
    assert report.errors == []
    assert report.created[0].answers.get().text == "Saved text"


def test_a_formula_heading_without_a_value_refuses_the_file(consultation: Consultation) -> None:
    data = as_xlsx([[*HEADER[:12], "=B1"], *GOOD])
    with pytest.raises(FileRejected, match=r"Row 1, column M is a formula with no saved value"):
        responses_import_table(consultation=consultation, data=data, mapping=MAPPING)


def test_repeated_headings_of_grouped_questions_each_keep_their_own_answers(
    consultation: Consultation,
) -> None:
    for position, key in [(5, "q5"), (6, "q6")]:
        Question.objects.create(
            consultation=consultation, position=position, key=key, kind="free_text", text=key
        )
    header = ["ID", "Clear?", "Please explain", "Agencies", "Please explain"]
    row = ["r1", "Agree", "Because it is short", "Police", "The police know most"]
    data = as_csv([header, row])
    ambiguous = ColumnMapping(
        fields={"id": "ID"},
        questions={
            "q1": "Clear?",
            "q5": "Please explain",
            "q3": "Agencies",
            "q6": "Please explain",
        },
    )
    with pytest.raises(
        MappingInvalid,
        match=r'2 columns called "Please explain" \(C, E\): name them "Please explain #1" and '
        r'"Please explain #2"',
    ):
        responses_import_table(consultation=consultation, data=data, mapping=ambiguous)
    numbered = ColumnMapping(
        fields={"id": "ID"},
        questions={
            "q1": "Clear?",
            "q5": "Please explain #1",
            "q3": "Agencies",
            "q6": "Please explain #2",
        },
    )
    report = responses_import_table(consultation=consultation, data=data, mapping=numbered)
    assert report.errors == []
    answers = {a.question.key: a.text for a in report.created[0].answers.all()}
    assert answers["q5"] == "Because it is short"
    assert answers["q6"] == "The police know most"
    with pytest.raises(MappingInvalid, match="no columns called Please explain #3"):
        responses_import_table(
            consultation=consultation,
            data=data,
            mapping=ColumnMapping(fields={}, questions={"q5": "Please explain #3"}),
        )


def test_import_command_reports_hostile_rows_and_imports_the_rest(
    consultation: Consultation, tmp_path: Path
) -> None:
    table = tmp_path / "export.csv"
    table.write_bytes(as_csv([HEADER, GOOD[0], ["r2", *GOOD[1][1:12], "z" * 200_000]]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 rows were not imported"):
        call_command(
            "import_responses",
            str(table),
            "--consultation",
            consultation.slug,
            "--column",
            "id=ID",
            "--column",
            "body_text=Comments",
            stdout=out,
        )
    assert 'Row 3: column "Comments" (M) holds 200,000 characters' in out.getvalue()
    assert "Imported 1 responses" in out.getvalue()
    assert Response.objects.get().body_text == "Fine"
