"""Responses to a consultation run elsewhere, imported from a CSV or XLSX export.

A column mapping says which column holds what: respondent details and one column per
question (by the question's key). Each good row becomes a response (channel import); a bad
row is reported with its row number (and the column, where one cell is at fault) and the
rest are still imported: nothing is cut short or left blank without saying so. Importing the
same file again adds nothing: rows are identified by their id column, or by their content.

Spreadsheets come from outside, so an XLSX file is checked before openpyxl parses it: every
part is read with a bound on its size, and a part that declares a DTD (how entity-expansion
bombs and external entities arrive; Excel never writes one) refuses the whole file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from moot.consultations.models import (
    Channel,
    Consultation,
    PublicationConsent,
    Question,
    QuestionKind,
    Region,
    RespondentType,
    Response,
)
from moot.consultations.services.responses import (
    AnswerValue,
    RespondentDetails,
    options_by_label,
    response_record,
)
from moot.core import files
from moot.core.errors import FileRejected, MootError

# The response fields a mapping may name, besides questions.
MAPPABLE_FIELDS = (
    "id",
    "received_at",
    "respondent_name",
    "respondent_email",
    "respondent_type",
    "organisation_name",
    "role",
    "region",
    "wants_confidentiality",
    "confidentiality_reason",
    "publication_consent",
    "body_text",
)
DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
# The most characters one cell may hold: three times Excel's own cell limit (32,767), so
# only a file made to be hostile, or broken, has more.
MAX_CELL_CHARS = 100_000
# The most one part of an XLSX file may expand to (the whole file is bounded by
# ``files.MAX_UNCOMPRESSED_BYTES``); counted while reading, not taken from the zip's word.
MAX_XLSX_PART_BYTES = 100 * 1024 * 1024
# Markup that starts a DTD, in each encoding an XML part may use.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


class MappingInvalid(MootError):
    """The column mapping does not fit the consultation or the file."""


@dataclass(frozen=True)
class ColumnMapping:
    fields: dict[str, str]
    questions: dict[str, str]
    separator: str = ";"

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise MappingInvalid(f"The mapping file is not valid JSON ({error}).") from error
        if not isinstance(document, dict):
            raise MappingInvalid('The mapping file must be a JSON object with "columns".')
        return cls(
            fields=dict(document.get("columns", {})),
            questions=dict(document.get("questions", {})),
            separator=str(document.get("multiple_choice_separator", ";")),
        )


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class TabularImportReport:
    created: list[Response] = field(default_factory=list)
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)


@dataclass
class Table:
    """A file's rows as text, header first, and the cells that could not be read as text:
    formulas saved without their value, by row number (the header is 1) and column index."""

    rows: list[list[str]]
    unsaved_formulas: dict[int, list[int]] = field(default_factory=dict)


def column_name(header: list[str], index: int) -> str:
    """How a report names a column: its heading and its spreadsheet letter."""
    from openpyxl.utils import get_column_letter

    heading = header[index].strip() if index < len(header) else ""
    letter = get_column_letter(index + 1)
    return f'column "{heading}" ({letter})' if heading else f"column {letter}"


def read_table(data: bytes) -> Table:
    """The rows of a CSV or XLSX file (the type sniffed from its bytes), header first.

    Raises ``FileRejected`` for a file that cannot be read safely.
    """
    sniffed = files.sniff(data, allowed={files.XLSX, files.TEXT, files.CSV})
    if sniffed.content_type == files.XLSX:
        return _read_xlsx(data)
    text = data.decode("utf-8-sig", "replace")
    # The csv module refuses fields over 131,072 characters with an error that ends the
    # whole file; the cells are measured below instead, so one long cell refuses one row.
    # The limit is process-wide, so it is only ever raised (no field is longer than the text).
    if csv.field_size_limit() <= len(text):
        csv.field_size_limit(len(text) + 1)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return Table(rows=[list(row) for row in csv.reader(io.StringIO(text), dialect)])
    except csv.Error as error:
        raise FileRejected(f"The file is not CSV that moot can read ({error}).") from error


def _xlsx_parts_check(data: bytes) -> None:
    """Refuse an XLSX file with a part that declares a DTD or expands past the bound.

    openpyxl only guards against entity expansion when defusedxml happens to be installed
    (it is not one of moot's requirements), so this does not rely on it.
    """
    overlap = max(len(marker) for marker in _DTD_MARKERS) - 1
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            size = 0
            tail = b""
            with archive.open(member) as part:
                while chunk := part.read(1024 * 1024):
                    size += len(chunk)
                    if size > MAX_XLSX_PART_BYTES:
                        raise FileRejected(
                            f"The spreadsheet's part {member.filename} expands to more than "
                            f"{MAX_XLSX_PART_BYTES:,} bytes, so the file was refused."
                        )
                    window = tail + chunk
                    if any(marker in window for marker in _DTD_MARKERS):
                        raise FileRejected(
                            f"The spreadsheet's part {member.filename} declares a DTD or "
                            "entities, which spreadsheet programs never write, so the file "
                            "was refused. Open it in a spreadsheet program and save it again."
                        )
                    tail = window[-overlap:]


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    _xlsx_parts_check(data)
    try:
        # Read twice: with data_only a formula reads as the value saved with it (None when
        # the program that wrote the file saved none); without, as the formula itself.
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        table = Table(rows=[])
        pairs = zip(
            values.worksheets[0].iter_rows(values_only=True),
            formulas.worksheets[0].iter_rows(),
            strict=True,
        )
        for number, (row, cells) in enumerate(pairs, start=1):
            unsaved = [
                index
                for index, (value, cell) in enumerate(zip(row, cells, strict=True))
                if value is None and getattr(cell, "data_type", None) == "f"
            ]
            if unsaved:
                table.unsaved_formulas[number] = unsaved
            table.rows.append([_cell_text(value) for value in row])
        values.close()
        formulas.close()
    except Exception as error:
        raise FileRejected("The spreadsheet could not be read.") from error
    return table


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def _parse_datetime(text: str) -> dt.datetime:
    value: dt.datetime | None = None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        for fmt in DATE_FORMATS:
            try:
                value = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 - made aware below
                break
            except ValueError:
                continue
    if value is None:
        raise ValueError(f'"{text}" is not a date (use 2008-06-12 or 12/06/2008 14:30)')
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _choice(text: str, choices: list[tuple[str, str]], what: str) -> str:
    wanted = text.strip().casefold()
    for value, label in choices:
        if wanted in (value.casefold(), label.casefold()):
            return value
    raise ValueError(
        f'"{text}" is not a {what} (expected one of: {", ".join(v for v, _ in choices)})'
    )


# Text fields of a response that have a length in the database: a longer cell is refused
# rather than cut short.
FIELD_MAX_CHARS = {"respondent_name": 200, "respondent_email": 254, "organisation_name": 300}
# A mapping names the Nth of several columns with the same heading as "Heading #N".
_NUMBERED = re.compile(r"^(?P<heading>.*\S)\s+#(?P<number>[1-9][0-9]*)$")


def _column_index(name: str, occurrences: dict[str, list[int]]) -> int:
    """Where the column a mapping names is; raises ``MappingInvalid`` if it is not there or
    could be more than one (exports often repeat a heading such as "Please explain" under
    each question of a group, and reading one of them for every question would give each
    question the last one's answers)."""
    found = occurrences.get(name.strip())
    if found is not None and len(found) == 1:
        return found[0]
    if found:
        numbered = " and ".join(f'"{name.strip()} #{n}"' for n in range(1, len(found) + 1))
        from openpyxl.utils import get_column_letter

        letters = ", ".join(get_column_letter(index + 1) for index in found)
        raise MappingInvalid(
            f'The file has {len(found)} columns called "{name.strip()}" ({letters}): name them '
            f"{numbered} in the mapping, in the order they come in the file."
        )
    match = _NUMBERED.match(name.strip())
    if match is not None:
        repeated = occurrences.get(match["heading"], [])
        number = int(match["number"])
        if len(repeated) > 1 and number <= len(repeated):
            return repeated[number - 1]
    raise MappingInvalid(f"The file has no columns called {name}.")


class _RowReader:
    def __init__(self, *, consultation: Consultation, mapping: ColumnMapping, header: list[str]):
        self.mapping = mapping
        self.header = header
        occurrences: dict[str, list[int]] = {}
        for index, heading in enumerate(header):
            occurrences.setdefault(heading.strip(), []).append(index)
        unknown = [k for k in mapping.fields if k not in MAPPABLE_FIELDS]
        if unknown:
            raise MappingInvalid(f"The mapping names unknown fields: {', '.join(unknown)}.")
        questions = {q.key: q for q in consultation.questions.prefetch_related("options")}
        missing_questions = [key for key in mapping.questions if key not in questions]
        if missing_questions:
            raise MappingInvalid(
                f"The consultation has no questions with the keys {', '.join(missing_questions)}."
            )
        wanted = [*mapping.fields.values(), *mapping.questions.values()]
        absent = [
            column
            for column in wanted
            if column.strip() not in occurrences and not _NUMBERED.match(column.strip())
        ]
        if absent:
            raise MappingInvalid(f"The file has no columns called {', '.join(absent)}.")
        self.field_columns = {
            name: _column_index(column, occurrences) for name, column in mapping.fields.items()
        }
        self.question_columns = {
            key: _column_index(column, occurrences) for key, column in mapping.questions.items()
        }
        self.mapped_columns = {*self.field_columns.values(), *self.question_columns.values()}
        self.questions = questions
        self.roles = {r.label.casefold(): r for r in consultation.respondent_roles.all()}
        self.options = {key: options_by_label(question=q) for key, q in questions.items()}

    def column(self, index: int) -> str:
        return column_name(self.header, index)

    def check_cells(self, row: list[str], *, unsaved_formulas: list[int]) -> None:
        """Raise ``ValueError`` naming the first cell that cannot be imported as it is."""
        # Without an id column a row is known by all its cells, so a formula anywhere in it
        # would change the row's identity once the file is saved with its values.
        relevant = self.mapped_columns if "id" in self.field_columns else range(len(row))
        for index in unsaved_formulas:
            if index in relevant:
                raise ValueError(
                    f"{self.column(index)} holds a formula with no saved value: open the file "
                    "in a spreadsheet program and save it, or paste the values in place of "
                    "the formulas"
                )
        for index in sorted(self.mapped_columns):
            cell = row[index] if index < len(row) else ""
            if len(cell) > MAX_CELL_CHARS:
                raise ValueError(
                    f"{self.column(index)} holds {len(cell):,} characters; moot imports cells "
                    f"of up to {MAX_CELL_CHARS:,}"
                )
            if "\x00" in cell:
                raise ValueError(f"{self.column(index)} holds a NUL character, which is not text")
        for name, limit in FIELD_MAX_CHARS.items():
            value = self.value(row, name)
            if len(value) > limit:
                raise ValueError(
                    f"{self.column(self.field_columns[name])} holds {len(value):,} characters; "
                    f"a {name.replace('_', ' ')} may have up to {limit:,}"
                )

    def value(self, row: list[str], name: str) -> str:
        index = self.field_columns.get(name)
        if index is None:
            return ""
        return row[index].strip() if index < len(row) else ""

    def respondent(self, row: list[str]) -> RespondentDetails:
        email_address = self.value(row, "respondent_email")
        if email_address:
            try:
                validate_email(email_address)
            except ValidationError:
                raise ValueError(f'"{email_address}" is not an email address') from None
        role_text = self.value(row, "role")
        role = self.roles.get(role_text.casefold()) if role_text else None
        if role_text and role is None:
            raise ValueError(f'"{role_text}" is not one of this consultation\'s roles')
        confidential_text = self.value(row, "wants_confidentiality").casefold()
        if confidential_text and confidential_text not in YES | NO:
            raise ValueError(f'"{confidential_text}" is not yes or no (confidentiality)')
        as_text = self.value(row, "respondent_type")
        region_text = self.value(row, "region")
        consent_text = self.value(row, "publication_consent")
        return RespondentDetails(
            name=self.value(row, "respondent_name"),
            email=email_address,
            respondent_type=_choice(as_text, RespondentType.choices, "respondent type")
            if as_text
            else "",
            organisation_name=self.value(row, "organisation_name"),
            role_id=role.pk if role else None,
            region=_choice(region_text, Region.choices, "region") if region_text else "",
            wants_confidentiality=(confidential_text in YES) if confidential_text else None,
            confidentiality_reason=self.value(row, "confidentiality_reason"),
            publication_consent=_choice(consent_text, PublicationConsent.choices, "consent")
            if consent_text
            else "",
        )

    def answers(self, row: list[str]) -> dict[Question, AnswerValue]:
        answers = {}
        for key, index in self.question_columns.items():
            question = self.questions[key]
            text = row[index].strip() if index < len(row) else ""
            answers[question] = self._answer(question, text)
        return answers

    def _answer(self, question: Question, text: str) -> AnswerValue:
        if question.kind == QuestionKind.FREE_TEXT:
            if question.max_length and len(text) > question.max_length:
                raise ValueError(
                    f"the answer to {question.key} is longer than {question.max_length} characters"
                )
            return AnswerValue(text=text)
        if not text:
            return AnswerValue()
        labels = (
            [part.strip() for part in text.split(self.mapping.separator) if part.strip()]
            if question.kind == QuestionKind.MULTIPLE_CHOICE
            else [text]
        )
        options = self.options[question.key]
        unknown = [label for label in labels if label.casefold() not in options]
        if unknown:
            raise ValueError(f'"{unknown[0]}" is not an answer to {question.key}')
        return AnswerValue(option_ids=tuple(options[label.casefold()].pk for label in labels))


def responses_import_table(
    *, consultation: Consultation, data: bytes, mapping: ColumnMapping
) -> TabularImportReport:
    """Import every good row; report each bad one with its row number (the header is row 1).

    Each row is stored in its own transaction, so an interrupted import keeps whole rows
    only, and running it again imports the rest without duplicating any.
    """
    table = read_table(data)
    if not table.rows:
        raise FileRejected("The file is empty.")
    header = table.rows[0]
    if 1 in table.unsaved_formulas:
        column = column_name(header, table.unsaved_formulas[1][0])
        raise FileRejected(
            f"Row 1, {column} is a formula with no saved value: open the file in a "
            "spreadsheet program and save it, or paste the values in place of the formulas."
        )
    reader = _RowReader(consultation=consultation, mapping=mapping, header=header)
    report = TabularImportReport()
    seen: Counter[str] = Counter()
    for number, row in enumerate(table.rows[1:], start=2):
        unsaved = table.unsaved_formulas.get(number, [])
        if not unsaved and not any(cell.strip() for cell in row):
            continue
        try:
            reader.check_cells(row, unsaved_formulas=unsaved)
            respondent = reader.respondent(row)
            answers = reader.answers(row)
            received_text = reader.value(row, "received_at")
            received_at = _parse_datetime(received_text) if received_text else timezone.now()
        except ValueError as error:
            report.errors.append(RowError(number, str(error)))
            continue
        source_key = _source_key(row_id=reader.value(row, "id"), row=row, seen=seen)
        response, created = response_record(
            consultation=consultation,
            channel=Channel.IMPORT,
            received_at=received_at,
            respondent=respondent,
            answers=answers,
            body_text=reader.value(row, "body_text"),
            source_key=source_key,
        )
        if created:
            report.created.append(response)
        else:
            report.duplicates += 1
    return report


def _source_key(*, row_id: str, row: list[str], seen: Counter[str]) -> str:
    """What identifies a row across imports: its id, or its content.

    A long id is hashed rather than cut short, so two ids that differ only past the cut are
    not taken for one. Identical rows without ids (the same campaign text sent twice, say)
    are told apart by how many came before them in the file, so the second is imported
    rather than counted as the first again; the first keeps the plain content key.
    """
    if row_id:
        key = f"import-id:{row_id}"
        if len(key) <= 300:
            return key
        return f"import-id-sha256:{hashlib.sha256(row_id.encode()).hexdigest()}"
    content = json.dumps(row, ensure_ascii=False)
    key = f"import-row:{hashlib.sha256(content.encode()).hexdigest()}"
    seen[key] += 1
    return key if seen[key] == 1 else f"{key}:{seen[key]}"
