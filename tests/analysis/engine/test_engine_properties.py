"""Property-based checks of invariants that must hold for any input."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from moot.analysis.engine import (
    QuestionKind,
    QuestionSpec,
    ResponseInput,
    extract_additions,
    tally_closed_question,
)

OPTIONS = ("Yes", "No", "Don't know")
SINGLE = QuestionSpec(id="q", kind=QuestionKind.SINGLE_CHOICE, options=OPTIONS)
MULTI = QuestionSpec(id="q", kind=QuestionKind.MULTIPLE_CHOICE, options=OPTIONS)

answers = st.one_of(
    st.none(),
    st.sampled_from(OPTIONS),
    st.text(max_size=5),
    st.lists(st.sampled_from(OPTIONS), max_size=4).map(tuple),
)


def build(values: list[object]) -> list[ResponseInput]:
    return [
        ResponseInput(id=str(i), answers={} if v is None else {"q": v})  # type: ignore[dict-item]
        for i, v in enumerate(values)
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(answers, max_size=40), st.sets(st.integers(0, 39)))
def test_tally_invariants(values: list[object], campaign: set[int]) -> None:
    responses = build(values)
    for question in (SINGLE, MULTI):
        result = tally_closed_question(
            question=question,
            responses=responses,
            campaign_response_ids={str(i) for i in campaign},
        )
        overall = result.all_submissions
        assert overall.respondents == len(responses)
        assert result.excluding_campaigns.respondents <= overall.respondents
        assert overall.answered + result.invalid_answer_count <= overall.respondents
        if question is SINGLE and overall.answered:
            assert sum(overall.counts.values()) == overall.answered
            assert abs(sum(overall.percentages.values()) - 100) < 0.05
        for cross_tab in result.cross_tabs.values():
            assert sum(t.respondents for t in cross_tab.all_submissions.values()) == len(responses)
        json.dumps(result.all_submissions.__dict__)


sentence = st.lists(
    st.sampled_from(["children", "agencies", "must", "share", "data", "safely", "now"]),
    min_size=3,
    max_size=8,
).map(lambda words: " ".join(words).capitalize() + ".")


@settings(max_examples=60, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=6), st.lists(sentence, max_size=3))
def test_additions_are_sentences_not_in_the_template(
    template_sentences: list[str], extra: list[str]
) -> None:
    template = " ".join(template_sentences)
    assert extract_additions(text=template, template=template, max_similarity=0.5) == ""
    added = extract_additions(
        text=template + " " + " ".join(extra), template=template, max_similarity=0.5
    )
    for part in added.split(". "):
        if part:
            assert part.rstrip(".") + "." in extra or part in " ".join(extra)
