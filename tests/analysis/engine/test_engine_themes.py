from __future__ import annotations

import dataclasses

import pytest

from moot.analysis.engine import (
    AddTheme,
    AnalysisParams,
    AnalysisResult,
    AnalystState,
    DeleteTheme,
    MergeThemes,
    NewTheme,
    RenameTheme,
    ResponseInput,
    SplitTheme,
    ThemeCoding,
    run_analysis,
)
from moot.analysis.engine.discovery import readable_label
from moot.analysis.engine.evaluation import multilabel_scores
from moot.analysis.engine.synthetic import SyntheticConsultation, generate_consultation

QID = "q_information_sharing"
PARAMS = AnalysisParams(seed=7)


def more_responses(count: int) -> list[ResponseInput]:
    """Responses arriving after the first run (new ids)."""
    extra = generate_consultation(responses=count, seed=8).responses
    return [dataclasses.replace(r, id=f"late-{r.id}") for r in extra]


def theme_members(result: AnalysisResult, question_id: str) -> dict[str, set[str]]:
    members: dict[str, set[str]] = {}
    for assignment in result.free_text_questions[question_id].assignments:
        for theme_id in assignment.themes:
            members.setdefault(theme_id, set()).add(assignment.response_id)
    return members


def best_planted(
    consultation: SyntheticConsultation, question_id: str, responses: set[str]
) -> tuple[str, float]:
    truth = consultation.truth.themes[question_id]
    scores = {}
    for planted in consultation.truth.catalogue[question_id]:
        expected = {r for r, labels in truth.items() if planted.key in labels}
        scores[planted.key] = len(responses & expected) / max(1, len(responses | expected))
    key = max(scores, key=lambda k: scores[k])
    return key, scores[key]


def test_discovery_returns_labelled_themes(
    small_consultation: SyntheticConsultation, small_result: AnalysisResult
) -> None:
    question = small_result.free_text_questions[QID]
    assert 3 <= len(question.themes) <= PARAMS.max_themes_per_question
    members = theme_members(small_result, QID)
    matched = set()
    for theme in question.themes:
        assert theme.label
        assert theme.top_terms
        assert theme.origin == "discovered"
        assert theme.model == "similarity"
        assert theme.id.startswith(f"{QID}:t")
        assert 1 <= len(theme.quotes) <= PARAMS.quotes_per_theme
        assert theme.counts.all_submissions >= theme.counts.excluding_campaigns
        key, score = best_planted(small_consultation, QID, members.get(theme.id, set()))
        if score >= 0.3:
            matched.add(key)
    assert len(matched) >= 3  # most planted themes come out unsupervised


def test_readable_label() -> None:
    assert readable_label(["sharing", "information sharing", "agencies"]) == (
        "Information sharing / agencies"
    )
    assert readable_label([]) == "Unlabelled theme"


def test_edits_apply_and_survive_a_rerun(small_result: AnalysisResult) -> None:
    themes = [t.id for t in small_result.free_text_questions[QID].themes]
    deleted, merged_source, merged_target, renamed, split = themes[:5]
    edits = (
        DeleteTheme(theme_id=deleted),
        MergeThemes(
            source_theme_ids=(merged_source,), target_theme_id=merged_target, label="Merged theme"
        ),
        RenameTheme(theme_id=renamed, label="Renamed theme", description="Described"),
        SplitTheme(
            theme_id=split,
            into=(
                NewTheme(theme_id="split-a", label="Split A", seed_terms=("consent",)),
                NewTheme(theme_id="split-b", label="Split B", seed_terms=("records",)),
            ),
        ),
        AddTheme(
            theme=NewTheme(
                theme_id="new-theme",
                label="Phones",
                description="Phone calls",
                seed_terms=("pick up the phone", "phone"),
            )
        ),
        RenameTheme(theme_id="no-such-theme", label="Ignored"),
    )
    state = AnalystState(theme_edits={QID: edits})
    first = generate_consultation(responses=1000, seed=7)
    grown = (*first.responses, *more_responses(250))
    for responses in (first.responses, grown):
        result = run_analysis(
            questions=first.questions,
            responses=responses,
            analyst_state=state,
            params=PARAMS,
            previous=small_result,
        )
        by_id = {t.id: t for t in result.free_text_questions[QID].themes}
        assert deleted not in by_id
        assert merged_source not in by_id
        assert by_id[merged_target].label == "Merged theme"
        assert by_id[renamed].label == "Renamed theme"
        assert by_id[renamed].description == "Described"
        assert split not in by_id
        assert {"split-a", "split-b", "new-theme"} <= set(by_id)
        assert by_id["new-theme"].origin == "analyst"
        assert by_id["new-theme"].counts.all_submissions > 0
        assert any("no-such-theme" in w for w in result.warnings)
        kept = set(themes) - {deleted, merged_source, split}
        assert kept <= set(by_id)  # ids are stable across the re-run
        statuses = {r.theme_id: r.status for r in result.theme_registry[QID]}
        assert statuses[deleted] == "deleted"
        assert statuses[merged_source] == "merged"
        assert statuses[split] == "split"


def test_rerun_maps_rediscovered_themes_to_existing_ids(small_result: AnalysisResult) -> None:
    first = generate_consultation(responses=1000, seed=7)
    rerun = run_analysis(
        questions=first.questions,
        responses=(*first.responses, *more_responses(250)),
        params=PARAMS,
        previous=small_result,
    )
    old = {r.theme_id: r.signature for r in small_result.theme_registry[QID]}
    new_themes = rerun.free_text_questions[QID].themes
    reused = [t.id for t in new_themes if t.id in old]
    assert len(reused) >= len(old) - 1
    issued = {int(r.theme_id.rsplit(":t", 1)[1]) for r in small_result.theme_registry[QID]}
    for theme in new_themes:
        if theme.id not in old:  # newly discovered themes get new numbers, never reused ones
            assert int(theme.id.rsplit(":t", 1)[1]) > max(issued)
    assert rerun.next_theme_number[QID] >= small_result.next_theme_number[QID]


def planted_state(
    consultation: SyntheticConsultation, result: AnalysisResult, coded_count: int
) -> tuple[AnalystState, dict[str, str]]:
    """Analyst who replaces discovered themes by the planted ones and codes some answers."""
    question = result.free_text_questions[QID]
    edits: list[DeleteTheme | AddTheme] = [DeleteTheme(theme_id=t.id) for t in question.themes]
    ids = {}
    for planted in consultation.truth.catalogue[QID]:
        ids[planted.key] = f"planted-{planted.key}"
        edits.append(
            AddTheme(
                theme=NewTheme(
                    theme_id=ids[planted.key],
                    label=planted.label,
                    description=planted.description,
                    seed_terms=planted.seed_terms,
                )
            )
        )
    truth = consultation.truth.themes[QID]
    codings = tuple(
        ThemeCoding(
            question_id=QID, response_id=r, theme_ids=frozenset(ids[k] for k in truth.get(r, ()))
        )
        for r in question.coding_suggestions[:coded_count]
    )
    return AnalystState(theme_edits={QID: tuple(edits)}, codings=codings), ids


def test_hand_coding_improves_assignment(
    small_consultation: SyntheticConsultation, small_result: AnalysisResult
) -> None:
    scores = []
    for coded_count in (0, 150):
        state, ids = planted_state(small_consultation, small_result, coded_count)
        result = run_analysis(
            questions=small_consultation.questions,
            responses=small_consultation.responses,
            analyst_state=state,
            params=PARAMS,
            previous=small_result,
        )
        back = {v: k for k, v in ids.items()}
        question = result.free_text_questions[QID]
        predicted = {a.response_id: {back[t] for t in a.themes} for a in question.assignments}
        coded = {c.response_id for c in state.codings}
        truth = small_consultation.truth.themes[QID]
        micro, _ = multilabel_scores(predicted, truth, items=[r for r in truth if r not in coded])
        scores.append(micro.f1)
        if coded_count:
            assert {t.model for t in question.themes} <= {"classifier", "blend"}
            assert "classifier" in {t.model for t in question.themes}
            for assignment in question.assignments:
                if assignment.response_id in coded:
                    assert assignment.source == "coded"
                    assert set(assignment.themes.values()) <= {1.0}
    assert scores[1] > scores[0]
    assert scores[1] >= 0.75


def test_review_queue_holds_low_confidence_answers(small_result: AnalysisResult) -> None:
    question = small_result.free_text_questions[QID]
    assert question.review_queue
    assert question.review_queue_total >= len(question.review_queue)
    uncertainties = [item.uncertainty for item in question.review_queue]
    assert uncertainties == sorted(uncertainties, reverse=True)
    borderline = {
        a.response_id
        for a in question.assignments
        if a.source == "model" and any(p < 0.5 + PARAMS.review_margin for p in a.themes.values())
    }
    queued = {i.response_id for i in question.review_queue}
    assert borderline
    assert borderline <= queued
    unthemed = {a.response_id for a in question.assignments if not a.themes}
    members = set(small_result.campaigns.campaign_of())
    no_theme = {i.response_id for i in question.review_queue if i.reason == "no theme assigned"}
    assert no_theme - members <= unthemed
    assert len(question.coding_suggestions) == PARAMS.coding_suggestion_count
    assert len(set(question.coding_suggestions)) == len(question.coding_suggestions)


def test_campaign_members_inherit_template_themes(small_result: AnalysisResult) -> None:
    question = small_result.free_text_questions["q_proposal_explain"]
    assignments = {a.response_id: a for a in question.assignments}
    campaign = small_result.campaigns.campaigns[0]
    template_themes = set(assignments[campaign.template_response_id].themes)
    for member in campaign.members:
        if member.response_id in assignments:
            assert template_themes <= set(assignments[member.response_id].themes)
            assert assignments[member.response_id].source == "campaign"
    counts = {t.id: t.counts for t in question.themes}
    assert any(c.all_submissions > c.distinct_texts for c in counts.values())


def test_params_are_validated() -> None:
    with pytest.raises(ValueError, match="multiple of lsh_bands"):
        AnalysisParams(num_perm=100, lsh_bands=32)
    with pytest.raises(ValueError, match="between 0 and 1"):
        dataclasses.replace(PARAMS, assignment_threshold=1.5)
