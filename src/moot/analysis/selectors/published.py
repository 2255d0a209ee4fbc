"""Themes readers may narrow the published responses to: those of the analysis behind a
published summary of responses."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from moot.analysis.models import ThemeAssignmentRow
from moot.analysis.selectors.runs import latest_run
from moot.consultations.models import Consultation


def published_theme_choices(consultation: Consultation) -> list[tuple[str, str]]:
    """("question ref:theme id", "Question N: label") for every theme of the latest run, once
    the summary of responses is published; none before."""
    if consultation.published_summary is None:
        return []
    run = latest_run(consultation=consultation)
    if run is None:
        return []
    positions = {q["ref"]: q["position"] for q in run.summary.get("questions", [])}
    choices = []
    for ref, question in run.summary.get("free_text_questions", {}).items():
        where = f"Question {positions[ref]}" if ref in positions else "Letters and emails"
        for theme in question.get("themes", []):
            choices.append((f"{ref}:{theme['id']}", f"{where}: {theme['label']}"))
    return choices


def published_theme_responses(consultation: Consultation, value: str) -> QuerySet[Any]:
    """The ids of the responses the latest run gave a theme (none for an unknown one)."""
    run = latest_run(consultation=consultation)
    ref, _, theme_key = value.partition(":")
    if run is None or consultation.published_summary is None:
        return ThemeAssignmentRow.objects.none().values_list("response_id", flat=True)
    return ThemeAssignmentRow.objects.filter(
        run=run, question_ref=ref, theme_key=theme_key
    ).values_list("response_id", flat=True)
