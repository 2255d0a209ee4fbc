"""Theme assignment over sentence embeddings, on answers moot did not write itself."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score

from moot.analysis.engine import (
    AddTheme,
    AnalysisParams,
    AnalystState,
    DeleteTheme,
    NewTheme,
    QuestionKind,
    QuestionSpec,
    ResponseInput,
    ThemeCoding,
    run_analysis,
)

BENCH = Path(__file__).resolve().parents[3] / "bench"
sys.path.insert(0, str(BENCH))

from analysis_devset import DevSet, data_folder, load_devset  # noqa: E402

QID = "q"
QUESTION = QuestionSpec(id=QID, kind=QuestionKind.FREE_TEXT, text="What do you think?")
THEMES = (
    NewTheme(theme_id="cost", label="Cost of living", description="Prices, bills and rent"),
    NewTheme(theme_id="buses", label="Public transport", description="Buses and trains"),
)
ANSWERS = {
    "a1": "My energy bills have doubled and food is so expensive now.",
    "a2": "Rent takes half of what I earn each month.",
    "a3": "The number 12 bus never turns up on time.",
    "a4": "Trains to the city are overcrowded and late.",
    "a5": "Groceries cost far more than last year. And the buses are unreliable.",
}


def _themes_only(responses: list[ResponseInput], **state: object) -> AnalystState:
    first = run_analysis(questions=[QUESTION], responses=responses)
    discovered = [t.id for t in first.free_text_questions[QID].themes]
    edits = tuple(DeleteTheme(theme_id=t) for t in discovered) + tuple(
        AddTheme(theme=t) for t in THEMES
    )
    return AnalystState(theme_edits={QID: edits}, **state)  # type: ignore[arg-type]


def test_answers_go_to_the_theme_they_mean_without_sharing_its_words() -> None:
    responses = [ResponseInput(id=r, answers={QID: text}) for r, text in ANSWERS.items()]
    result = run_analysis(
        questions=[QUESTION], responses=responses, analyst_state=_themes_only(responses)
    )
    placed = {a.response_id: set(a.themes) for a in result.free_text_questions[QID].assignments}
    assert placed["a1"] == {"cost"}
    assert placed["a2"] == {"cost"}
    assert placed["a3"] == {"buses"}
    assert placed["a4"] == {"buses"}
    assert "cost" in placed["a5"]


def test_the_same_inputs_give_the_same_result() -> None:
    responses = [ResponseInput(id=r, answers={QID: text}) for r, text in ANSWERS.items()]
    state = _themes_only(responses)
    one = run_analysis(questions=[QUESTION], responses=responses, analyst_state=state)
    two = run_analysis(questions=[QUESTION], responses=responses, analyst_state=state)
    assert one.to_dict() == two.to_dict()


@pytest.fixture(scope="module")
def dev() -> DevSet:
    folder = data_folder()
    if folder is None:
        pytest.skip("the labelled development set ../shared/data/analysis/ is absent")
    return load_devset(folder)


def _samples_f1(dev: DevSet, coded: set[str], count: int, seed: int) -> float:
    first = run_analysis(questions=[dev.question], responses=dev.responses)
    discovered = [t.id for t in first.free_text_questions[dev.question.id].themes]
    edits = tuple(DeleteTheme(theme_id=t) for t in discovered) + tuple(
        AddTheme(theme=t) for t in dev.themes
    )
    state = AnalystState(
        theme_edits={dev.question.id: edits},
        codings=tuple(
            ThemeCoding(question_id=dev.question.id, response_id=r, theme_ids=dev.labels[r])
            for r in sorted(coded)[:count]
        ),
    )
    result = run_analysis(
        questions=[dev.question],
        responses=dev.responses,
        analyst_state=state,
        params=AnalysisParams(seed=seed),
    )
    placed = {
        a.response_id: set(a.themes)
        for a in result.free_text_questions[dev.question.id].assignments
    }
    ids = [t.theme_id for t in dev.themes]
    rows = [r.id for r in dev.responses if r.id not in coded]
    truth = np.array([[t in dev.labels[r] for t in ids] for r in rows])
    guess = np.array([[t in placed[r] for t in ids] for r in rows])
    return float(f1_score(truth, guess, average="samples", zero_division=0))


def test_the_analysts_themes_fit_real_answers_and_coding_improves_the_rest(dev: DevSet) -> None:
    rng = np.random.default_rng(5)
    coded = {dev.responses[i].id for i in rng.choice(len(dev.responses), 50, replace=False)}
    # both scored on the same 950 answers nobody coded
    without = _samples_f1(dev, coded, count=0, seed=0)
    with_coding = _samples_f1(dev, coded, count=50, seed=0)
    assert without >= 0.85  # the word-count engine scored 0.72 micro F1 here
    assert with_coding > without
