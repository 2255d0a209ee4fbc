"""The figures of a summary of responses as a table: CSV and XLSX downloads of the tallies
and theme counts, one row per figure, with the method's parameters in XLSX.

Text from people and staff (labels, questions) can never become a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from moot.consultations.selectors.exports import FORMULA_PREFIXES

COLUMNS = [
    "section",
    "question_number",
    "question",
    "item",
    "all_submissions",
    "all_submissions_percent",
    "excluding_campaigns",
    "excluding_campaigns_percent",
    "distinct_texts",
]
Cell = str | int | float | None


def figure_rows(figures: dict[str, Any]) -> Iterator[list[Cell]]:
    """One row per figure, in ``COLUMNS`` order."""
    totals = figures["totals"]
    for key, section in (
        ("by_channel", "responses by channel"),
        ("by_respondent_type", "responses by respondent type"),
        ("by_role", "responses by role"),
    ):
        for row in totals[key]:
            yield [
                section,
                None,
                None,
                row["label"],
                row["count"],
                row["percent"],
                None,
                None,
                None,
            ]
    for campaign in figures["campaigns"]["list"]:
        yield [
            "campaigns",
            None,
            None,
            campaign.get("name") or f"Campaign {campaign['number']}",
            campaign["size"],
            campaign["share"],
            None,
            None,
            campaign["distinct_texts"],
        ]
    for question in figures["questions"]:
        where = [question["position"], question["text"]]
        if question["closed"]:
            for option in question["closed"]["options"]:
                yield [
                    "answers",
                    *where,
                    option["label"],
                    option["all_submissions"],
                    option["all_submissions_percent"],
                    option["excluding_campaigns"],
                    option["excluding_campaigns_percent"],
                    None,
                ]
        free = question["free"]
        if not free:
            continue
        for theme in free["themes"]:
            yield [
                "themes",
                *where,
                theme["label"],
                theme["all_submissions"],
                theme["all_submissions_percent"],
                theme["excluding_campaigns"],
                theme["excluding_campaigns_percent"],
                theme["distinct_texts"],
            ]
        if free["stance"]:
            for stance in ("agree", "disagree", "unclear"):
                yield [
                    "stance",
                    *where,
                    stance,
                    free["stance"]["all_submissions"].get(stance, 0),
                    None,
                    free["stance"]["excluding_campaigns"].get(stance, 0),
                    None,
                    free["stance"]["distinct_texts"].get(stance, 0),
                ]


def _safe(cell: Cell) -> Cell:
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return f"'{cell}"
    return cell


def figures_csv(*, figures: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in figure_rows(figures):
        writer.writerow(["" if cell is None else _safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def figures_xlsx(*, figures: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)

    def cells(sheet: Any, row: list[Cell]) -> list[Any]:
        out = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            out.append(cell)
        return out

    sheet = workbook.create_sheet("Figures")
    sheet.append(cells(sheet, list(COLUMNS)))
    for row in figure_rows(figures):
        sheet.append(cells(sheet, row))
    method = workbook.create_sheet("Method")
    run = figures["run"]
    method.append(cells(method, ["setting", "value"]))
    for key in ("number", "finished_at", "engine_version", "input_fingerprint"):
        method.append(cells(method, [f"run {key.replace('_', ' ')}", str(run[key])]))
    for key, value in sorted(run["params"].items()):
        method.append(cells(method, [f"parameter {key}", json.dumps(value)]))
    for key, value in sorted(run["library_versions"].items()):
        method.append(cells(method, [f"library {key}", str(value)]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
