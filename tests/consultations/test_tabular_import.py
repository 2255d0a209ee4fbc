"""Responses imported from CSV and XLSX exports made elsewhere, with a column mapping."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from moot.consultations.models import Consultation, Response
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
