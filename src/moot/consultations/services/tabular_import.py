"""Responses to a consultation run elsewhere, imported from a CSV or XLSX export.

A column mapping says which column holds what: respondent details and one column per
question (by the question's key). Each good row becomes a response (channel import); a bad
row is reported with its row number and the rest are still imported. Importing the same
file again adds nothing: rows are identified by their id column, or by their content.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
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


def read_table(data: bytes) -> list[list[str]]:
    """The rows of a CSV or XLSX file (the type sniffed from its bytes), header first."""
    sniffed = files.sniff(data, allowed={files.XLSX, files.TEXT, files.CSV})
    if sniffed.content_type == files.XLSX:
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:
            raise FileRejected("The spreadsheet could not be read.") from error
        return [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    text = data.decode("utf-8-sig", "replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


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


class _RowReader:
    def __init__(self, *, consultation: Consultation, mapping: ColumnMapping, header: list[str]):
        self.mapping = mapping
        positions = {name.strip(): index for index, name in enumerate(header)}
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
        absent = [column for column in wanted if column not in positions]
        if absent:
            raise MappingInvalid(f"The file has no columns called {', '.join(absent)}.")
        self.positions = positions
        self.questions = questions
        self.roles = {r.label.casefold(): r for r in consultation.respondent_roles.all()}
        self.options = {key: options_by_label(question=q) for key, q in questions.items()}

    def value(self, row: list[str], name: str) -> str:
        column = self.mapping.fields.get(name)
        if column is None:
            return ""
        index = self.positions[column]
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
            name=self.value(row, "respondent_name")[:200],
            email=email_address,
            respondent_type=_choice(as_text, RespondentType.choices, "respondent type")
            if as_text
            else "",
            organisation_name=self.value(row, "organisation_name")[:300],
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
        for key, column in self.mapping.questions.items():
            question = self.questions[key]
            index = self.positions[column]
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
    rows = read_table(data)
    if not rows:
        raise FileRejected("The file is empty.")
    reader = _RowReader(consultation=consultation, mapping=mapping, header=rows[0])
    report = TabularImportReport()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            respondent = reader.respondent(row)
            answers = reader.answers(row)
            received_text = reader.value(row, "received_at")
            received_at = _parse_datetime(received_text) if received_text else timezone.now()
        except ValueError as error:
            report.errors.append(RowError(number, str(error)))
            continue
        row_id = reader.value(row, "id")
        if row_id:
            source_key = f"import-id:{row_id}"[:300]
        else:
            content = json.dumps(row, ensure_ascii=False)
            source_key = f"import-row:{hashlib.sha256(content.encode()).hexdigest()}"
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
