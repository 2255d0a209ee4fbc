"""The analyst's changes: theme edits (rename, merge, split, delete, add) and hand-coding of
a response's themes and stance. Each is one ``AnalystChange`` row saying who did what and
when; the next run replays them all, so they survive every re-run.

Changes are checked against the themes as the analyst sees them (the latest run's, with the
changes made since laid over them), and refused with ``ChangeRefused`` when they make no
sense: a theme that does not exist or is gone, a merge of fewer than two themes, an empty
name.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from moot.analysis.engine import (
    AddTheme,
    DeleteTheme,
    MergeThemes,
    NewTheme,
    RenameTheme,
    SplitTheme,
    Stance,
    ThemeEdit,
)
from moot.analysis.engine.serialization import to_jsonable
from moot.analysis.models import AnalysisRun, AnalystChange, ChangeKind
from moot.analysis.selectors.runs import latest_run
from moot.analysis.selectors.themes import ThemeView, pending_changes, themes_effective
from moot.consultations.models import Consultation, Response
from moot.core.errors import MootError
from moot.core.models import User

LABEL_MAX = 100
DESCRIPTION_MAX = 500
SEED_TERMS_MAX = 20


class ChangeRefused(MootError):
    """An analyst's change that cannot be made, with the reason."""


@dataclass(frozen=True, kw_only=True)
class NewThemeInput:
    label: str
    description: str = ""
    seed_terms: tuple[str, ...] = ()


def _current(consultation: Consultation, question_ref: str) -> tuple[AnalysisRun, str]:
    run = latest_run(consultation=consultation)
    if run is None:
        raise ChangeRefused("Run the analysis before changing its themes.")
    question = next((q for q in run.summary["questions"] if q["ref"] == question_ref), None)
    if question is None or question_ref not in run.summary["free_text_questions"]:
        raise ChangeRefused("That question has no themes: it is not a free-text question.")
    return run, f"Question {question['position']}"


def _themes(consultation: Consultation, run: AnalysisRun, question_ref: str) -> list[ThemeView]:
    pending = list(pending_changes(consultation=consultation, run=run))
    return themes_effective(run=run, question_ref=question_ref, pending=pending)


def _theme(themes: list[ThemeView], theme_id: str) -> ThemeView:
    theme = next((t for t in themes if t.id == theme_id), None)
    if theme is None:
        raise ChangeRefused("That theme no longer exists: it was merged, split or deleted.")
    return theme


def _label(value: str, *, what: str = "the theme") -> str:
    label = " ".join(value.split())
    if not label:
        raise ChangeRefused(f"Enter a name for {what}.")
    if len(label) > LABEL_MAX:
        raise ChangeRefused(f"The name of {what} must be {LABEL_MAX} characters or fewer.")
    return label


def _description(value: str) -> str:
    text = value.strip()
    if len(text) > DESCRIPTION_MAX:
        raise ChangeRefused(f"The description must be {DESCRIPTION_MAX} characters or fewer.")
    return text


def _new_theme(question_ref: str, spec: NewThemeInput) -> NewTheme:
    terms = tuple(dict.fromkeys(t.strip().lower() for t in spec.seed_terms if t.strip()))
    if len(terms) > SEED_TERMS_MAX:
        raise ChangeRefused(f"Give at most {SEED_TERMS_MAX} words or phrases for a theme.")
    return NewTheme(
        theme_id=f"{question_ref}:a{secrets.token_hex(4)}",
        label=_label(spec.label, what="each new theme"),
        description=_description(spec.description),
        seed_terms=terms,
    )


def _record(
    *,
    consultation: Consultation,
    run: AnalysisRun,
    question_ref: str,
    kind: ChangeKind,
    payload: dict[str, Any],
    description: str,
    by: User,
    response: Response | None = None,
) -> AnalystChange:
    return AnalystChange.objects.create(
        consultation=consultation,
        question_ref=question_ref,
        kind=kind,
        response=response,
        payload=payload,
        description=description[:1000],
        made_by=by,
        made_by_name=by.get_username(),
        based_on_run=run,
    )


def _edit(
    consultation: Consultation,
    run: AnalysisRun,
    question_ref: str,
    kind: ChangeKind,
    edit: ThemeEdit,
    description: str,
    by: User,
) -> AnalystChange:
    return _record(
        consultation=consultation,
        run=run,
        question_ref=question_ref,
        kind=kind,
        payload=dict(to_jsonable(edit)),
        description=description,
        by=by,
    )


def theme_rename(
    *,
    consultation: Consultation,
    question_ref: str,
    theme_id: str,
    label: str,
    description: str,
    by: User,
) -> AnalystChange:
    """Rename a theme (and describe it)."""
    run, where = _current(consultation, question_ref)
    theme = _theme(_themes(consultation, run, question_ref), theme_id)
    new_label = _label(label)
    edit = RenameTheme(theme_id=theme.id, label=new_label, description=_description(description))
    note = f'{where}: renamed "{theme.label}" to "{new_label}"'
    return _edit(consultation, run, question_ref, ChangeKind.RENAME, edit, note, by)


def themes_merge(
    *,
    consultation: Consultation,
    question_ref: str,
    theme_ids: Sequence[str],
    label: str,
    by: User,
) -> AnalystChange:
    """Merge two or more themes into one, keeping the id of the largest of them."""
    run, where = _current(consultation, question_ref)
    themes = _themes(consultation, run, question_ref)
    chosen = [_theme(themes, theme_id) for theme_id in dict.fromkeys(theme_ids)]
    if len(chosen) < 2:
        raise ChangeRefused("Choose at least two themes to merge.")
    target = max(chosen, key=lambda t: (t.counts or {}).get("all_submissions", -1))
    new_label = _label(label, what="the merged theme")
    sources = tuple(t.id for t in chosen if t.id != target.id)
    edit = MergeThemes(source_theme_ids=sources, target_theme_id=target.id, label=new_label)
    names = ", ".join(f'"{t.label}"' for t in chosen)
    note = f'{where}: merged {names} into "{new_label}"'
    return _edit(consultation, run, question_ref, ChangeKind.MERGE, edit, note, by)


def theme_split(
    *,
    consultation: Consultation,
    question_ref: str,
    theme_id: str,
    into: Sequence[NewThemeInput],
    by: User,
) -> AnalystChange:
    """Replace a theme with two or more new ones (the words that mark each help the engine
    place the responses; coding a few of them helps more)."""
    run, where = _current(consultation, question_ref)
    theme = _theme(_themes(consultation, run, question_ref), theme_id)
    if len(into) < 2:
        raise ChangeRefused("Name at least two themes to split it into.")
    new = tuple(_new_theme(question_ref, spec) for spec in into)
    edit = SplitTheme(theme_id=theme.id, into=new)
    names = " and ".join(f'"{t.label}"' for t in new)
    note = f'{where}: split "{theme.label}" into {names}'
    return _edit(consultation, run, question_ref, ChangeKind.SPLIT, edit, note, by)


def theme_delete(
    *, consultation: Consultation, question_ref: str, theme_id: str, by: User
) -> AnalystChange:
    """Delete a theme: its responses are no longer counted under it."""
    run, where = _current(consultation, question_ref)
    theme = _theme(_themes(consultation, run, question_ref), theme_id)
    edit = DeleteTheme(theme_id=theme.id)
    note = f'{where}: deleted "{theme.label}"'
    return _edit(consultation, run, question_ref, ChangeKind.DELETE, edit, note, by)


def theme_add(
    *, consultation: Consultation, question_ref: str, theme: NewThemeInput, by: User
) -> AnalystChange:
    """Add a theme the engine did not find, described by words or phrases that mark it."""
    run, where = _current(consultation, question_ref)
    new = _new_theme(question_ref, theme)
    if not new.seed_terms:
        raise ChangeRefused("Give some words or phrases that responses with this theme use.")
    taken = {t.label.lower() for t in _themes(consultation, run, question_ref)}
    if new.label.lower() in taken:
        raise ChangeRefused(f'There is already a theme called "{new.label}".')
    note = f'{where}: added "{new.label}"'
    return _edit(consultation, run, question_ref, ChangeKind.ADD, AddTheme(theme=new), note, by)


def _same_consultation(run: AnalysisRun, response: Response) -> None:
    if response.consultation_id != run.consultation_id:
        raise ChangeRefused("That response belongs to another consultation.")


def response_code_themes(
    *,
    consultation: Consultation,
    response: Response,
    question_ref: str,
    theme_ids: Sequence[str],
    by: User,
) -> AnalystChange:
    """Code the themes of a response's answer by hand: exactly these apply (none, if empty).
    The latest coding of an answer is the one that counts."""
    run, where = _current(consultation, question_ref)
    _same_consultation(run, response)
    themes = _themes(consultation, run, question_ref)
    chosen = [_theme(themes, theme_id) for theme_id in dict.fromkeys(theme_ids)]
    names = ", ".join(f'"{t.label}"' for t in chosen) or "none of the themes"
    note = f"{where}: coded {response.reference} as {names}"
    return _record(
        consultation=consultation,
        run=run,
        question_ref=question_ref,
        kind=ChangeKind.CODE_THEMES,
        payload={"theme_ids": [t.id for t in chosen]},
        description=note,
        by=by,
        response=response,
    )


def response_code_stance(
    *,
    consultation: Consultation,
    response: Response,
    question_ref: str,
    stance: str,
    by: User,
) -> AnalystChange:
    """Code whether a response's answer agrees, disagrees or is unclear."""
    run, where = _current(consultation, question_ref)
    _same_consultation(run, response)
    question = next(q for q in run.summary["questions"] if q["ref"] == question_ref)
    if not question["asks_agreement"]:
        raise ChangeRefused("This question does not ask whether people agree.")
    try:
        value = Stance(stance)
    except ValueError:
        raise ChangeRefused("Choose agree, disagree or unclear.") from None
    note = f"{where}: coded the stance of {response.reference} as {value.value}"
    return _record(
        consultation=consultation,
        run=run,
        question_ref=question_ref,
        kind=ChangeKind.CODE_STANCE,
        payload={"stance": value.value},
        description=note,
        by=by,
        response=response,
    )


def response_code_evidence(
    *,
    consultation: Consultation,
    response: Response,
    question_ref: str,
    has_evidence: bool,
    by: User,
) -> AnalystChange:
    """Flag whether a response's answer brings evidence (figures, sources, lived experience,
    an organisation's data); the next run learns from these flags."""
    run, where = _current(consultation, question_ref)
    _same_consultation(run, response)
    said = "brings evidence" if has_evidence else "brings no evidence"
    return _record(
        consultation=consultation,
        run=run,
        question_ref=question_ref,
        kind=ChangeKind.CODE_EVIDENCE,
        payload={"has_evidence": bool(has_evidence)},
        description=f"{where}: flagged that {response.reference} {said}",
        by=by,
        response=response,
    )
