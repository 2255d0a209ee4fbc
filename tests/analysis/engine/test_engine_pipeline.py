from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import moot.analysis.engine as engine
from moot.analysis.engine import (
    ENGINE_VERSION,
    AnalysisParams,
    AnalysisResult,
    AnalystState,
    DeleteTheme,
    MergeThemes,
    NewTheme,
    QuestionKind,
    QuestionSpec,
    ResponseInput,
    SplitTheme,
    Stance,
    StanceCoding,
    ThemeCoding,
    run_analysis,
)
from moot.analysis.engine.synthetic import SyntheticConsultation, generate_consultation

FREE = QuestionSpec(id="q_free", kind=QuestionKind.FREE_TEXT, text="Any comments?")
SINGLE = QuestionSpec(id="q_yes", kind=QuestionKind.SINGLE_CHOICE, options=("Yes", "No"))
SRC = Path(engine.__file__).resolve().parents[3]


def test_result_carries_version_params_and_fingerprint(small_result: AnalysisResult) -> None:
    assert small_result.engine_version == ENGINE_VERSION
    assert small_result.params == AnalysisParams(seed=7)
    assert len(small_result.input_fingerprint) == 64
    assert set(small_result.library_versions) == {
        "numpy",
        "scipy",
        "scikit-learn",
        "tokenizers",
        "wordllama",
    }
    data = small_result.to_dict()
    assert data["params"]["lsh_bands"] == 32


def test_json_round_trip(small_result: AnalysisResult) -> None:
    text = json.dumps(small_result.to_dict())
    restored = AnalysisResult.from_dict(json.loads(text))
    assert restored == small_result
    assert json.dumps(restored.to_dict()) == text


def test_analyst_state_round_trip() -> None:
    state = AnalystState(
        theme_edits={
            "q": (
                DeleteTheme(theme_id="q:t1"),
                MergeThemes(source_theme_ids=("q:t2",), target_theme_id="q:t3"),
                SplitTheme(theme_id="q:t4", into=(NewTheme(theme_id="a", label="A"),)),
            )
        },
        codings=(ThemeCoding(question_id="q", response_id="r1", theme_ids=frozenset({"x"})),),
        stance_codings=(StanceCoding(question_id="q", response_id="r1", stance=Stance.AGREE),),
    )
    data = json.loads(json.dumps(state.to_dict()))
    assert data["theme_edits"]["q"][0] == {"op": "delete", "theme_id": "q:t1"}
    assert AnalystState.from_dict(data) == state
    params = AnalysisParams(seed=3, num_perm=64, lsh_bands=16)
    assert AnalysisParams.from_dict(json.loads(json.dumps(params.to_dict()))) == params


def test_same_seed_gives_identical_json(small_consultation: SyntheticConsultation) -> None:
    subset = small_consultation.responses[:500]
    first = run_analysis(questions=small_consultation.questions, responses=subset)
    second = run_analysis(questions=small_consultation.questions, responses=subset)
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())


def test_worker_processes_give_the_same_result(small_consultation: SyntheticConsultation) -> None:
    subset = small_consultation.responses[:400]
    calls: list[str] = []
    one = run_analysis(questions=small_consultation.questions, responses=subset)
    two = run_analysis(
        questions=small_consultation.questions,
        responses=subset,
        workers=2,
        progress=lambda stage, done, total: calls.append(stage),
    )
    assert json.dumps(one.to_dict()) == json.dumps(two.to_dict())
    assert {"themes:q_proposal_explain", "themes:q_children_families"} <= set(calls)
    with pytest.raises(ValueError, match="workers"):
        run_analysis(questions=[], responses=[], workers=0)


def test_progress_callback_reports_every_stage(
    small_consultation: SyntheticConsultation,
) -> None:
    calls: list[tuple[str, int, int]] = []
    run_analysis(
        questions=small_consultation.questions,
        responses=small_consultation.responses[:300],
        progress=lambda stage, done, total: calls.append((stage, done, total)),
    )
    stages = [c[0] for c in calls]
    assert stages[0] == "campaigns"
    assert stages[-1] == "done"
    assert "themes:q_information_sharing" in stages
    assert all(0 <= done <= total for _, done, total in calls)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)


def test_stance_uses_closed_answer_then_text(
    small_result: AnalysisResult, small_consultation: SyntheticConsultation
) -> None:
    stance = small_result.free_text_questions["q_proposal_explain"].stance
    assert stance is not None
    assert stance.text_model == "learned+lexical"
    by_id = {r.id: r for r in small_consultation.responses}
    sources = {a.source for a in stance.assignments}
    assert {"closed_answer", "text"} <= sources
    correct = total = 0
    for assignment in stance.assignments:
        answer = by_id[assignment.response_id].answers.get("q_proposal_scale")
        if assignment.source == "closed_answer":
            assert answer is not None
            assert assignment.confidence == 1.0
        elif assignment.source == "text" and assignment.stance is not Stance.UNCLEAR:
            total += 1
            correct += assignment.stance is small_consultation.truth.stance[assignment.response_id]
    assert total > 0
    assert correct / total >= 0.7
    assert sum(stance.all_submissions.values()) == len(stance.assignments)
    assert sum(stance.excluding_campaigns.values()) <= sum(stance.all_submissions.values())
    assert stance.distinct_texts["agree"] <= stance.all_submissions["agree"]


def test_stance_coding_overrides() -> None:
    question = QuestionSpec(id="q", kind=QuestionKind.FREE_TEXT, asks_agreement=True)
    responses = [
        ResponseInput(id="a", answers={"q": "I strongly disagree with this proposal."}),
        ResponseInput(id="b", answers={"q": "I agree, this is sensible."}),
    ]
    state = AnalystState(
        stance_codings=(StanceCoding(question_id="q", response_id="a", stance=Stance.AGREE),)
    )
    result = run_analysis(questions=[question], responses=responses, analyst_state=state)
    stance = result.free_text_questions["q"].stance
    assert stance is not None
    by_id = {a.response_id: a for a in stance.assignments}
    assert by_id["a"].stance is Stance.AGREE
    assert by_id["a"].source == "coded"
    assert by_id["b"].stance is Stance.AGREE  # lexical cues only: no closed answers to learn from
    assert stance.text_model == "lexical"


def test_empty_consultation() -> None:
    result = run_analysis(questions=[FREE, SINGLE], responses=[])
    assert result.response_count == 0
    assert result.campaigns.campaigns == ()
    assert result.free_text_questions["q_free"].themes == ()
    assert result.closed_questions["q_yes"].all_submissions.answered == 0
    assert AnalysisResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result
    assert run_analysis(questions=[], responses=[]).free_text_questions == {}


def test_question_without_free_text_answers_and_empty_strings() -> None:
    responses = [
        ResponseInput(id=str(i), answers={"q_free": "" if i % 2 else "   ", "q_yes": "Yes"})
        for i in range(20)
    ]
    result = run_analysis(questions=[FREE, SINGLE], responses=responses)
    question = result.free_text_questions["q_free"]
    assert question.answered_count == 0
    assert question.assignments == ()
    assert result.closed_questions["q_yes"].all_submissions.counts["Yes"] == 20


def test_stop_words_only_and_tiny_corpus() -> None:
    responses = [ResponseInput(id=str(i), answers={"q_free": "the and of"}) for i in range(3)]
    result = run_analysis(questions=[FREE], responses=responses)
    assert result.free_text_questions["q_free"].answered_count == 3


def test_huge_single_response_and_non_ascii(small_consultation: SyntheticConsultation) -> None:
    huge = " ".join(["Les agences doivent partager l'information rapidement."] * 20_000)
    responses = [
        *small_consultation.responses[:200],
        ResponseInput(id="huge", answers={"q_information_sharing": huge}),
        ResponseInput(
            id="unicode", answers={"q_information_sharing": "Ça va — 子供の安全 🙂 " * 5}
        ),
    ]
    result = run_analysis(questions=small_consultation.questions, responses=responses)
    ids = {a.response_id for a in result.free_text_questions["q_information_sharing"].assignments}
    assert {"huge", "unicode"} <= ids
    json.dumps(result.to_dict())


def test_duplicate_response_ids_are_rejected() -> None:
    responses = [ResponseInput(id="same"), ResponseInput(id="same"), ResponseInput(id="other")]
    with pytest.raises(ValueError, match="duplicate response ids: 'same'"):
        run_analysis(questions=[FREE], responses=responses)


def test_bad_questions_are_rejected() -> None:
    with pytest.raises(ValueError, match="needs options"):
        QuestionSpec(id="q", kind=QuestionKind.SINGLE_CHOICE)
    paired = QuestionSpec(id="q2", kind=QuestionKind.FREE_TEXT, paired_scale_question_id="q_yes")
    with pytest.raises(ValueError, match="not an agreement-scale question"):
        run_analysis(questions=[SINGLE, paired], responses=[])
    with pytest.raises(ValueError, match="duplicate question ids"):
        run_analysis(questions=[FREE, FREE], responses=[])


def test_codings_for_unknown_responses_are_reported() -> None:
    state = AnalystState(
        codings=(ThemeCoding(question_id="q_free", response_id="ghost", theme_ids=frozenset()),)
    )
    result = run_analysis(
        questions=[FREE],
        responses=[ResponseInput(id="a", answers={"q_free": "Some text here"})],
        analyst_state=state,
    )
    assert any("no answer" in w for w in result.warnings)


def test_importing_the_engine_does_not_import_django() -> None:
    code = (
        "import sys, moot.analysis.engine, moot.analysis.engine.synthetic; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    completed = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-c", code], env={"PYTHONPATH": str(SRC)}, check=False
    )
    assert completed.returncode == 0


def test_generator_is_deterministic_and_labelled() -> None:
    first = generate_consultation(responses=300, seed=3)
    second = generate_consultation(responses=300, seed=3)
    assert first == second
    assert len(first.responses) == 300
    assert len({r.id for r in first.responses}) == 300
    assert first.truth.campaign_of
    assert generate_consultation(responses=300, seed=4).responses != first.responses
    lengths = [
        len(r.free_text(q.id).split())
        for r in first.responses
        for q in first.questions
        if q.kind is QuestionKind.FREE_TEXT
        and r.free_text(q.id)
        and r.id not in first.truth.campaign_of
    ]
    assert min(lengths) >= 15
    assert max(lengths) <= 220
    assert generate_consultation(responses=0).responses == ()
