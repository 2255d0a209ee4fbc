"""Discovered themes get labels a person would write, never function words."""

from __future__ import annotations

import random

from moot.analysis.engine import QuestionKind, QuestionSpec, ResponseInput, run_analysis
from moot.analysis.engine.discovery import phrase_label
from moot.analysis.engine.stopwords import STOP_WORDS

QUESTION = QuestionSpec(id="q", kind=QuestionKind.FREE_TEXT)


def test_a_label_is_a_phrase_from_the_answers_as_they_write_it() -> None:
    texts = [
        "Rules like those in Italy and Australia would help.",
        "We should follow Italy and Australia here.",
        "Look at Italy and Australia.",
    ]
    weights = {"italy": 0.7, "australia": 0.7, "italy australia": 0.5, "help": 0.1}
    assert phrase_label(texts=texts, weights=weights, fallback=["italy"]) == "Italy and Australia"


def test_german_answers_get_labels_without_function_words() -> None:
    rng = random.Random(0)
    first = [
        "Die Werbung für Glücksspiel ist im Fernsehen viel zu präsent",
        "Glücksspielwerbung ist überall im Fernsehen",
        "Die ständige Werbung für Wetten im Fernsehen",
    ]
    second = [
        "und schadet den Kindern.",
        "und das ist schlecht für die Kinder.",
        "und die Kinder sehen das jeden Tag.",
    ]
    third = [
        "Die Vereine brauchen das Geld aus der Werbung.",
        "Ohne Sponsoring haben die Vereine keine Finanzierung.",
        "Die Finanzierung der Vereine hängt am Sponsoring.",
    ]
    texts = [
        f"{rng.choice(first)} {rng.choice(second)}"
        if rng.random() < 0.5
        else f"{rng.choice(third)} Das ist meine Meinung zu Punkt {i % 7}."
        for i in range(120)
    ]
    responses = [ResponseInput(id=f"r{i}", answers={"q": t}) for i, t in enumerate(texts)]
    themes = run_analysis(questions=[QUESTION], responses=responses).free_text_questions["q"].themes
    assert themes
    for theme in themes:
        words = theme.label.lower().split()
        assert words[0] not in STOP_WORDS, theme.label
        assert words[-1] not in STOP_WORDS, theme.label
        assert "/" not in theme.label
