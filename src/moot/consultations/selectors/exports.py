"""Exports of a consultation's responses: one row per response, one column per question.

The staff export holds everything; the publishable export leaves out personal data and every
response that asked for confidentiality or did not consent to publication. CSV, XLSX and JSON
carry the same rows, and ``export_parse`` reads each back to exactly those rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from moot.consultations.models import (
    Consultation,
    PublicationConsent,
    Question,
    QuestionKind,
    RespondentType,
    Response,
    ResponseStatus,
)
from moot.consultations.selectors.responses import answers_prefetch
from moot.core.csvsafe import FORMULA_PREFIXES as FORMULA_PREFIXES
from moot.core.csvsafe import csv_cell_safe, csv_cell_unescape

Value = str | list[str]

STAFF_COLUMNS = [
    "reference",
    "status",
    "late_accepted",
    "channel",
    "received_at",
    "respondent_type",
    "organisation_name",
    "respondent_name",
    "respondent_email",
    "role",
    "region",
    "wants_confidentiality",
    "confidentiality_reason",
    "publication_consent",
    "subject",
    "body_text",
    "attachments",
]
PUBLISHABLE_COLUMNS = [
    "reference",
    "channel",
    "received_at",
    "respondent_type",
    "published_as",
    "role",
    "region",
    "body_text",
]
# The cell of a question a response's routing skipped; an empty cell is a question not answered.
NOT_ASKED = "(not asked)"
# Excel refuses longer cells; longer text is cut there (CSV and JSON keep it whole).
XLSX_CELL_LIMIT = 32_767
# Cells a spreadsheet would run as a formula: written with a leading apostrophe in CSV by
# ``moot.core.csvsafe``, which the open data uses too (FORMULA_PREFIXES is re-exported above).


@dataclass(frozen=True)
class Export:
    consultation: Consultation
    columns: list[str]
    multi_columns: set[str]
    questions: list[Question]
    rows: list[dict[str, Value]]


@dataclass(frozen=True)
class ExtraColumns:
    """Columns another app adds to the staff export (the analysis adds each response's
    themes and stance): their names, which hold lists, and each response's values."""

    columns: list[str]
    multi_columns: set[str] = field(default_factory=set)
    values: dict[int, dict[str, Value]] = field(default_factory=dict)


# Called with the consultation, its questions and the ids of the exported responses. Apps
# that consultations must not import (analysis) register here in their AppConfig.ready().
ExportColumnSource = Callable[[Consultation, Sequence[Question], Sequence[int]], ExtraColumns]
_column_sources: list[ExportColumnSource] = []


def export_column_source_register(source: ExportColumnSource) -> None:
    """Add columns to every staff export (idempotent)."""
    if source not in _column_sources:
        _column_sources.append(source)


def responses_publishable(*, consultation: Consultation) -> QuerySet[Response]:
    """Counted responses whose respondents agreed to publication and did not ask for
    confidentiality."""
    counted = Q(status=ResponseStatus.SUBMITTED) | Q(
        status=ResponseStatus.LATE, late_accepted_at__isnull=False
    )
    return (
        Response.objects.filter(counted, consultation=consultation)
        .filter(
            publication_consent__in=[PublicationConsent.WITH_NAME, PublicationConsent.ANONYMOUSLY]
        )
        .exclude(wants_confidentiality=True)
        .order_by("received_at", "id")
    )


def _answers(response: Response, questions: list[Question]) -> dict[str, Value]:
    by_question = {answer.question_id: answer for answer in response.answers.all()}
    not_asked = {question.pk for question in response.questions_not_asked.all()}
    values: dict[str, Value] = {}
    for question in questions:
        answer = by_question.get(question.pk)
        if question.pk in not_asked:
            # Skipped by the routing: told apart from an empty cell, a question not answered.
            multiple = question.kind == QuestionKind.MULTIPLE_CHOICE
            values[question.key] = [NOT_ASKED] if multiple else NOT_ASKED
        elif question.kind == QuestionKind.FREE_TEXT:
            values[question.key] = answer.text if answer else ""
        else:
            labels = [o.label for o in answer.selected_options.all()] if answer else []
            if question.kind == QuestionKind.MULTIPLE_CHOICE:
                values[question.key] = labels
            else:
                values[question.key] = labels[0] if labels else ""
    return values


def _staff_row(response: Response) -> dict[str, Value]:
    confidential = {True: "yes", False: "no", None: ""}[response.wants_confidentiality]
    return {
        "reference": response.reference or "",
        "status": response.status,
        "late_accepted": "yes" if response.late_accepted_at else "",
        "channel": response.channel,
        "received_at": response.received_at.isoformat() if response.received_at else "",
        "respondent_type": response.respondent_type,
        "organisation_name": response.organisation_name,
        "respondent_name": response.respondent_name,
        "respondent_email": response.respondent_email,
        "role": response.role.label if response.role else "",
        "region": response.region,
        "wants_confidentiality": confidential,
        "confidentiality_reason": response.confidentiality_reason,
        "publication_consent": response.publication_consent,
        "subject": response.subject,
        "body_text": response.body_text,
        "attachments": [a.filename for a in response.attachments.all()],
    }


def _published_as(response: Response) -> str:
    if response.publication_consent != PublicationConsent.WITH_NAME:
        return "Anonymous"
    if response.respondent_type == RespondentType.ORGANISATION and response.organisation_name:
        return response.organisation_name
    return response.respondent_name or "Anonymous"


def _publishable_row(response: Response) -> dict[str, Value]:
    return {
        "reference": response.reference or "",
        "channel": response.channel,
        "received_at": response.received_at.date().isoformat() if response.received_at else "",
        "respondent_type": response.respondent_type,
        "published_as": _published_as(response),
        "role": response.role.label if response.role else "",
        "region": response.region,
        "body_text": response.body_text,
    }


def responses_export(
    *, consultation: Consultation, responses: QuerySet[Response], publishable: bool
) -> Export:
    """The export of ``responses`` (already limited to what the reader may see)."""
    questions = list(consultation.questions.order_by("position"))
    queryset = (
        responses.exclude(status=ResponseStatus.DRAFT)
        .select_related("role")
        .prefetch_related(
            answers_prefetch(),
            "attachments",
            Prefetch("questions_not_asked", queryset=Question.objects.only("id")),
        )
        .order_by("received_at", "id")
    )
    base = _publishable_row if publishable else _staff_row
    exported = list(queryset)
    rows = [{**base(response), **_answers(response, questions)} for response in exported]
    columns = [*(PUBLISHABLE_COLUMNS if publishable else STAFF_COLUMNS)]
    columns += [question.key for question in questions]
    multi = {q.key for q in questions if q.kind == QuestionKind.MULTIPLE_CHOICE}
    if not publishable:
        multi.add("attachments")
        ids = [response.pk for response in exported]
        for source in _column_sources:
            extra = source(consultation, questions, ids)
            columns += extra.columns
            multi |= extra.multi_columns
            for response, row in zip(exported, rows, strict=True):
                values = extra.values.get(response.pk, {})
                for column in extra.columns:
                    row[column] = values.get(column, [] if column in extra.multi_columns else "")
    return Export(consultation, columns, multi, questions, rows)


def publishable_export(*, consultation: Consultation) -> Export:
    """What the department may publish of a consultation's responses."""
    return responses_export(
        consultation=consultation,
        responses=responses_publishable(consultation=consultation),
        publishable=True,
    )


def _flat(value: Value) -> str:
    # Option labels are single lines, so a line break separates several choices unambiguously.
    return "\n".join(value) if isinstance(value, list) else value


def _unflat(text: str, multi: bool) -> Value:
    if not multi:
        return text
    return text.split("\n") if text else []


def export_csv(export: Export) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(export.columns)
    for row in export.rows:
        cells = [_flat(row[column]) for column in export.columns]
        writer.writerow([csv_cell_safe(cell) for cell in cells])
    # A byte order mark, so that spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(export: Export) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.append(export.columns)
    for row in export.rows:
        sheet.append([_xlsx_cell(sheet, _flat(row[column])) for column in export.columns])
    questions = workbook.create_sheet("Questions")
    questions.append(["key", "question", "type"])
    for question in export.questions:
        questions.append([question.key, _xlsx_cell(questions, question.text), question.kind])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: object, text: str) -> object:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text[:XLSX_CELL_LIMIT])
    # Always a string: text that starts with "=" must never become a formula.
    cell.data_type = "s"
    return cell


def export_json(export: Export) -> bytes:
    document = {
        "consultation": {"slug": export.consultation.slug, "title": export.consultation.title},
        "questions": [{"key": q.key, "text": q.text, "kind": q.kind} for q in export.questions],
        "columns": export.columns,
        "responses": export.rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def export_parse(
    data: bytes, *, format: str, multi_columns: Iterable[str]
) -> list[dict[str, Value]]:
    """Read an export back into its rows (the inverse of the writers above)."""
    multi = set(multi_columns)
    if format == "json":
        return list(json.loads(data)["responses"])
    if format == "csv":
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        header, *body = list(reader)
        return [
            {
                column: _unflat(_unescape_formula(cell), column in multi)
                for column, cell in zip(header, line, strict=True)
            }
            for line in body
        ]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True)["Responses"]
    lines: Iterator[tuple[object, ...]] = sheet.iter_rows(values_only=True)
    header_cells = next(lines)
    return [
        {
            str(column): _unflat("" if cell is None else str(cell), str(column) in multi)
            for column, cell in zip(header_cells, line, strict=True)
        }
        for line in lines
    ]


def _unescape_formula(cell: str) -> str:
    return csv_cell_unescape(cell)


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", export_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        export_xlsx,
    ),
    "json": ("application/json", export_json),
}
