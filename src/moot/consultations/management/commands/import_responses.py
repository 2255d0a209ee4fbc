from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moot.consultations.models import Consultation
from moot.consultations.services.tabular_import import (
    ColumnMapping,
    MappingInvalid,
    responses_import_table,
)
from moot.core.errors import FileRejected


def _pairs(values: list[str], what: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, column = value.partition("=")
        if not sep or not name or not column:
            raise CommandError(f"--{what} takes NAME=COLUMN, not {value!r}.")
        pairs[name.strip()] = column.strip()
    return pairs


class Command(BaseCommand):
    help = (
        "Import responses from a CSV or XLSX export made elsewhere, with a column mapping "
        "(--mapping FILE.json, or --column and --question options). Safe to run again. "
        'A heading that several columns share is named "Heading #N" for the Nth of them.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument("--consultation", required=True, help="The consultation's slug.")
        parser.add_argument(
            "--mapping",
            help='A JSON file: {"columns": {"received_at": "Date", ...}, '
            '"questions": {"q1": "Question 1", ...}, "multiple_choice_separator": ";"}.',
        )
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="Map a response field (id, received_at, respondent_name, respondent_email, "
            "respondent_type, organisation_name, role, region, wants_confidentiality, "
            "confidentiality_reason, publication_consent, body_text) to a column.",
        )
        parser.add_argument(
            "--question",
            action="append",
            default=[],
            metavar="KEY=COLUMN",
            help="Map a question (by its key) to a column.",
        )
        parser.add_argument("--separator", default=";", help="Between choices in one cell.")

    def handle(self, *args: Any, **options: Any) -> None:
        consultation = Consultation.objects.filter(slug=options["consultation"]).first()
        if consultation is None:
            raise CommandError(f"There is no consultation {options['consultation']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            if options["mapping"]:
                mapping = ColumnMapping.from_json(Path(options["mapping"]).read_text())
            else:
                mapping = ColumnMapping(
                    fields=_pairs(options["column"], "column"),
                    questions=_pairs(options["question"], "question"),
                    separator=options["separator"],
                )
            report = responses_import_table(
                consultation=consultation, data=path.read_bytes(), mapping=mapping
            )
        except (MappingInvalid, FileRejected) as error:
            raise CommandError(str(error)) from error
        for row_error in report.errors:
            self.stdout.write(f"Row {row_error.row}: {row_error.message}")
        self.stdout.write(
            f"Imported {len(report.created)} responses; {report.duplicates} already imported; "
            f"{len(report.errors)} rows with errors (not imported)."
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} rows were not imported: see above.")
