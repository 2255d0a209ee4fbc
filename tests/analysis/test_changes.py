"""The analyst's changes: each recorded (who, what, when), checked against the themes as
the analyst sees them, and given to the next run as its input."""

from __future__ import annotations

import pytest
from django.utils import timezone

from moot.analysis.engine import MergeThemes, RenameTheme, SplitTheme, Stance
from moot.analysis.models import AnalysisRun, AnalystChange, ChangeKind
from moot.analysis.selectors.inputs import analyst_state_load
from moot.analysis.selectors.themes import pending_changes, themes_effective
from moot.analysis.services import changes
from moot.analysis.services.changes import ChangeRefused, NewThemeInput
from moot.consultations.models import Channel, Consultation, Response
from moot.consultations.services.responses import RespondentDetails, response_record
from moot.core.models import User
from tests.analysis.conftest import free_refs, themes_of
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def _ids(run: AnalysisRun, ref: str) -> list[str]:
    return [str(t["id"]) for t in themes_of(run, ref)]


def _effective(consultation: Consultation, run: AnalysisRun, ref: str) -> dict[str, str]:
    pending = list(pending_changes(consultation=consultation, run=run))
    return {t.id: t.label for t in themes_effective(run=run, question_ref=ref, pending=pending)}


def test_each_theme_edit_is_recorded_and_laid_over_the_runs_themes(
    consultation: Consultation, run: AnalysisRun, analyst: User
) -> None:
    ref = free_refs(run)[0]
    first, second, third, fourth, *_ = _ids(run, ref)
    rename = changes.theme_rename(
        consultation=consultation,
        question_ref=ref,
        theme_id=first,
        label="  Keep   the boards ",
        description="Respondents who want the boards kept.",
        by=analyst,
    )
    assert rename.kind == ChangeKind.RENAME
    assert rename.made_by == analyst
    assert rename.made_by_name == analyst.username
    assert rename.based_on_run == run
    assert rename.made_at is not None
    assert rename.payload == {
        "op": "rename",
        "theme_id": first,
        "label": "Keep the boards",
        "description": "Respondents who want the boards kept.",
    }
    assert rename.description.endswith('to "Keep the boards"')
    changes.themes_merge(
        consultation=consultation,
        question_ref=ref,
        theme_ids=[second, third],
        label="Merged",
        by=analyst,
    )
    split = changes.theme_split(
        consultation=consultation,
        question_ref=ref,
        theme_id=fourth,
        into=[
            NewThemeInput(label="Funding", seed_terms=("funding", "Budget ")),
            NewThemeInput(label="Staffing", seed_terms=("staff",)),
        ],
        by=analyst,
    )
    new_ids = [part["theme_id"] for part in split.payload["into"]]
    assert all(new.startswith(f"{ref}:a") for new in new_ids)
    assert split.payload["into"][0]["seed_terms"] == ["funding", "budget"]
    added = changes.theme_add(
        consultation=consultation,
        question_ref=ref,
        theme=NewThemeInput(label="Training", seed_terms=("training", "courses")),
        by=analyst,
    )
    effective = _effective(consultation, run, ref)
    assert effective[first] == "Keep the boards"
    assert len({second, third} & set(effective)) == 1
    assert fourth not in effective
    assert {effective[n] for n in new_ids} == {"Funding", "Staffing"}
    assert effective[added.payload["theme"]["theme_id"]] == "Training"
    changes.theme_delete(consultation=consultation, question_ref=ref, theme_id=first, by=analyst)
    assert first not in _effective(consultation, run, ref)
    # The engine gets them all, in order.
    state, last = analyst_state_load(consultation=consultation)
    edits = state.theme_edits[ref]
    assert [type(e).__name__ for e in edits] == [
        "RenameTheme",
        "MergeThemes",
        "SplitTheme",
        "AddTheme",
        "DeleteTheme",
    ]
    assert isinstance(edits[0], RenameTheme)
    assert edits[0].label == "Keep the boards"
    assert isinstance(edits[1], MergeThemes)
    assert isinstance(edits[2], SplitTheme)
    assert len(edits[2].into) == 2
    assert last == AnalystChange.objects.latest("id").pk


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda c, ref, ids, by: changes.theme_rename(
                consultation=c, question_ref=ref, theme_id="nope", label="X", description="", by=by
            ),
            "no longer exists",
        ),
        (
            lambda c, ref, ids, by: changes.theme_rename(
                consultation=c, question_ref=ref, theme_id=ids[0], label="  ", description="", by=by
            ),
            "Enter a name",
        ),
        (
            lambda c, ref, ids, by: changes.theme_rename(
                consultation=c,
                question_ref=ref,
                theme_id=ids[0],
                label="x" * 101,
                description="",
                by=by,
            ),
            "100 characters or fewer",
        ),
        (
            lambda c, ref, ids, by: changes.themes_merge(
                consultation=c, question_ref=ref, theme_ids=[ids[0], ids[0]], label="X", by=by
            ),
            "at least two themes",
        ),
        (
            lambda c, ref, ids, by: changes.theme_split(
                consultation=c,
                question_ref=ref,
                theme_id=ids[0],
                into=[NewThemeInput(label="One")],
                by=by,
            ),
            "at least two themes",
        ),
        (
            lambda c, ref, ids, by: changes.theme_add(
                consultation=c, question_ref=ref, theme=NewThemeInput(label="No words"), by=by
            ),
            "words or phrases",
        ),
        (
            lambda c, ref, ids, by: changes.theme_delete(
                consultation=c, question_ref="999999", theme_id=ids[0], by=by
            ),
            "not a free-text question",
        ),
    ],
)
def test_changes_that_make_no_sense_are_refused_and_not_recorded(
    consultation: Consultation, run: AnalysisRun, analyst: User, make, message: str
) -> None:  # type: ignore[no-untyped-def]
    ref = free_refs(run)[0]
    with pytest.raises(ChangeRefused, match=message):
        make(consultation, ref, _ids(run, ref), analyst)
    assert not AnalystChange.objects.exists()


def test_a_theme_cannot_be_added_twice_or_edited_once_merged_away(
    consultation: Consultation, run: AnalysisRun, analyst: User
) -> None:
    ref = free_refs(run)[0]
    ids = _ids(run, ref)
    label = str(themes_of(run, ref)[0]["label"])
    with pytest.raises(ChangeRefused, match="already a theme called"):
        changes.theme_add(
            consultation=consultation,
            question_ref=ref,
            theme=NewThemeInput(label=label.upper(), seed_terms=("x",)),
            by=analyst,
        )
    merge = changes.themes_merge(
        consultation=consultation, question_ref=ref, theme_ids=ids[:2], label="M", by=analyst
    )
    gone = merge.payload["source_theme_ids"][0]
    with pytest.raises(ChangeRefused, match="no longer exists"):
        changes.theme_delete(consultation=consultation, question_ref=ref, theme_id=gone, by=analyst)


def test_nothing_can_be_changed_before_a_run(consultation: Consultation, analyst: User) -> None:
    with pytest.raises(ChangeRefused, match="Run the analysis"):
        changes.theme_delete(
            consultation=consultation, question_ref="1", theme_id="1:t1", by=analyst
        )


def test_codings_are_recorded_and_the_latest_coding_of_an_answer_wins(
    consultation: Consultation, run: AnalysisRun, analyst: User
) -> None:
    ref = free_refs(run)[0]
    ids = _ids(run, ref)
    response = Response.objects.filter(consultation=consultation).first()
    assert response is not None
    changes.response_code_themes(
        consultation=consultation,
        response=response,
        question_ref=ref,
        theme_ids=ids[:2],
        by=analyst,
    )
    latest = changes.response_code_themes(
        consultation=consultation, response=response, question_ref=ref, theme_ids=[], by=analyst
    )
    assert latest.description.endswith("as none of the themes")
    stance = changes.response_code_stance(
        consultation=consultation,
        response=response,
        question_ref=ref,
        stance="disagree",
        by=analyst,
    )
    assert stance.payload == {"stance": "disagree"}
    state, _ = analyst_state_load(consultation=consultation)
    [coding] = state.codings
    assert coding.response_id == str(response.pk)
    assert coding.theme_ids == frozenset()
    [stance_coding] = state.stance_codings
    assert stance_coding.stance == Stance.DISAGREE


def test_codings_refused_for_other_consultations_and_questions_without_stance(
    consultation: Consultation, run: AnalysisRun, analyst: User
) -> None:
    refs = free_refs(run)
    stanceless = next(
        q["ref"] for q in run.summary["questions"] if q["ref"] in refs and not q["asks_agreement"]
    )
    response = Response.objects.filter(consultation=consultation).first()
    assert response is not None
    with pytest.raises(ChangeRefused, match="does not ask whether people agree"):
        changes.response_code_stance(
            consultation=consultation,
            response=response,
            question_ref=stanceless,
            stance="agree",
            by=analyst,
        )
    with pytest.raises(ChangeRefused, match="agree, disagree or unclear"):
        changes.response_code_stance(
            consultation=consultation,
            response=response,
            question_ref=refs[0],
            stance="maybe",
            by=analyst,
        )
    elsewhere, _ = response_record(
        consultation=ConsultationFactory(department=consultation.department),
        channel=Channel.POST,
        received_at=timezone.now(),
        respondent=RespondentDetails(name="Sam Lee"),
        answers={},
        body_text="A letter.",
    )
    with pytest.raises(ChangeRefused, match="belongs to another consultation"):
        changes.response_code_themes(
            consultation=consultation,
            response=elsewhere,
            question_ref=refs[0],
            theme_ids=[],
            by=analyst,
        )
    assert not AnalystChange.objects.exists()
