"""The themes of a question as the analyst sees them: the latest run's themes with the
analyst's changes since that run laid over them (they take full effect at the next run)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from moot.analysis.models import THEME_EDIT_KINDS, AnalysisRun, AnalystChange
from moot.consultations.models import Consultation


@dataclass(kw_only=True)
class ThemeView:
    id: str
    label: str
    description: str = ""
    counts: dict[str, int] | None = None
    top_terms: list[str] = field(default_factory=list)
    quotes: list[dict[str, str]] = field(default_factory=list)
    coded_count: int = 0
    model: str = ""
    origin: str = "analyst"
    pending: list[str] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        """Added or split off since the latest run: it has no counts yet."""
        return self.counts is None


def pending_changes(
    *, consultation: Consultation, run: AnalysisRun | None
) -> QuerySet[AnalystChange]:
    """Changes made after ``run`` took its input (all changes if there is no run)."""
    changes = AnalystChange.objects.filter(consultation=consultation)
    if run is not None:
        changes = changes.filter(id__gt=run.included_change_id)
    return changes.select_related("response").order_by("id")


def question_summary(*, run: AnalysisRun, question_ref: str) -> dict[str, Any] | None:
    free: dict[str, Any] = run.summary.get("free_text_questions", {})
    return free.get(question_ref)


def themes_effective(
    *, run: AnalysisRun, question_ref: str, pending: list[AnalystChange]
) -> list[ThemeView]:
    """The question's themes after the pending theme edits, in the run's order (new ones
    last). Each theme notes the pending changes that touch it."""
    summary = question_summary(run=run, question_ref=question_ref) or {"themes": []}
    themes: dict[str, ThemeView] = {
        theme["id"]: ThemeView(
            id=theme["id"],
            label=theme["label"],
            description=theme["description"],
            counts=theme["counts"],
            top_terms=list(theme["top_terms"]),
            quotes=list(theme["quotes"]),
            coded_count=theme["coded_count"],
            model=theme["model"],
            origin=theme["origin"],
        )
        for theme in summary["themes"]
    }
    for change in pending:
        if change.question_ref != question_ref or change.kind not in THEME_EDIT_KINDS:
            continue
        _apply(themes, change.payload, change.description)
    return list(themes.values())


def _apply(themes: dict[str, ThemeView], edit: dict[str, Any], note: str) -> None:
    op = edit.get("op")
    if op == "rename" and edit["theme_id"] in themes:
        theme = themes[edit["theme_id"]]
        theme.label = edit["label"]
        if edit.get("description") is not None:
            theme.description = edit["description"]
        theme.pending.append(note)
    elif op == "merge" and edit["target_theme_id"] in themes:
        target = themes[edit["target_theme_id"]]
        for source in edit["source_theme_ids"]:
            themes.pop(source, None)
        if edit.get("label"):
            target.label = edit["label"]
        target.pending.append(note)
    elif op == "split" and edit["theme_id"] in themes:
        del themes[edit["theme_id"]]
        for new in edit["into"]:
            themes[new["theme_id"]] = _new_theme(new, note)
    elif op == "delete":
        themes.pop(edit["theme_id"], None)
    elif op == "add":
        themes[edit["theme"]["theme_id"]] = _new_theme(edit["theme"], note)


def _new_theme(spec: dict[str, Any], note: str) -> ThemeView:
    return ThemeView(
        id=spec["theme_id"],
        label=spec["label"],
        description=spec.get("description", ""),
        top_terms=list(spec.get("seed_terms", ())),
        pending=[note],
    )
