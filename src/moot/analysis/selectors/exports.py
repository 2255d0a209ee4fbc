"""The analysis's columns in the staff export of responses: for each free-text question, the
themes of each answer and its stance, and who decided them (an analyst by name, the model,
the campaign's text or the respondent's own agree/disagree answer)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from moot.analysis.models import ChangeKind, StanceRow, ThemeAssignmentRow
from moot.analysis.selectors.inputs import LETTERS_REF
from moot.analysis.selectors.runs import latest_run
from moot.analysis.selectors.themes import pending_changes, themes_effective
from moot.consultations.models import Consultation, Question, QuestionKind
from moot.consultations.selectors.exports import ExtraColumns, Value

CODED_BY = {
    "model": "model",
    "campaign": "campaign text",
    "closed_answer": "respondent's own answer",
    "text": "model",
}


def export_columns_names(key: str) -> tuple[str, str, str, str]:
    return (f"{key}_themes", f"{key}_themes_by", f"{key}_stance", f"{key}_stance_by")


def analysis_export_columns(
    consultation: Consultation, questions: Sequence[Question], response_ids: Sequence[int]
) -> ExtraColumns:
    """The latest run's themes and stance per answer, with every analyst's coding laid over
    them, those made since the run included (it takes them in at the next run). Nothing
    before the first run."""
    run = latest_run(consultation=consultation)
    if run is None:
        return ExtraColumns(columns=[])
    # The engine's question ids are the questions' database ids, and "letters" for letters
    # and emails that were never coded against the questionnaire.
    by_ref = {str(q.pk): q.key for q in questions if q.kind == QuestionKind.FREE_TEXT}
    if LETTERS_REF in run.summary.get("free_text_questions", {}):
        by_ref[LETTERS_REF] = LETTERS_REF
    if not by_ref:
        return ExtraColumns(columns=[])
    columns: list[str] = ["analysis_run"]
    multi: set[str] = set()
    for key in by_ref.values():
        names = export_columns_names(key)
        columns += names
        multi.add(names[0])
    ids = set(response_ids)
    pending = list(pending_changes(consultation=consultation, run=run))
    labels = {
        ref: {t.id: t.label for t in themes_effective(run=run, question_ref=ref, pending=pending)}
        for ref in by_ref
    }
    values: dict[int, dict[str, Value]] = defaultdict(dict)
    themes: dict[tuple[int, str], list[str]] = defaultdict(list)
    themes_by: dict[tuple[int, str], str] = {}
    assignments = ThemeAssignmentRow.objects.filter(run=run, question_ref__in=by_ref).order_by(
        "response_id", "-confidence", "theme_key"
    )
    for row in assignments.values_list("response_id", "question_ref", "theme_key", "source"):
        response_id, ref, theme_key, source = row
        if response_id not in ids:
            continue
        themes[(response_id, ref)].append(labels[ref].get(theme_key, theme_key))
        themes_by[(response_id, ref)] = CODED_BY.get(source, source)
    stances: dict[tuple[int, str], tuple[str, str]] = {}
    for response_id, ref, stance, source in StanceRow.objects.filter(
        run=run, question_ref__in=by_ref
    ).values_list("response_id", "question_ref", "stance", "source"):
        if response_id in ids:
            stances[(response_id, ref)] = (stance, CODED_BY.get(source, source))
    # Every coding by an analyst, oldest first, so the latest one for an answer wins.
    codings = (
        consultation.analyst_changes.filter(
            kind__in=(ChangeKind.CODE_THEMES, ChangeKind.CODE_STANCE), question_ref__in=by_ref
        )
        .order_by("id")
        .values_list("response_id", "question_ref", "kind", "payload", "made_by_name")
    )
    for response_id, ref, kind, payload, made_by in codings:
        if response_id not in ids:
            continue
        who = f"analyst: {made_by}"
        if kind == ChangeKind.CODE_THEMES:
            themes[(response_id, ref)] = [
                labels[ref].get(theme_id, theme_id) for theme_id in payload["theme_ids"]
            ]
            themes_by[(response_id, ref)] = who
        else:
            stances[(response_id, ref)] = (payload["stance"], who)
    for response_id in ids:
        values[response_id]["analysis_run"] = str(run.number)
    for (response_id, ref), labels_of_answer in themes.items():
        names = export_columns_names(by_ref[ref])
        values[response_id][names[0]] = labels_of_answer
        values[response_id][names[1]] = themes_by[(response_id, ref)]
    for (response_id, ref), (stance, who) in stances.items():
        names = export_columns_names(by_ref[ref])
        values[response_id][names[2]] = stance
        values[response_id][names[3]] = who
    return ExtraColumns(columns=columns, multi_columns=multi, values=dict(values))
