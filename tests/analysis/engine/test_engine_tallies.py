from __future__ import annotations

import pytest

from moot.analysis.engine import (
    Answer,
    Channel,
    QuestionKind,
    QuestionSpec,
    RespondentType,
    ResponseInput,
    Stance,
    tally_closed_question,
    tally_closed_questions,
)


def response(
    response_id: str,
    answers: dict[str, Answer],
    *,
    channel: Channel = Channel.ONLINE,
    respondent_type: RespondentType = RespondentType.INDIVIDUAL,
    role: str | None = None,
    region: str | None = None,
) -> ResponseInput:
    return ResponseInput(
        id=response_id,
        channel=channel,
        respondent_type=respondent_type,
        role=role,
        region=region,
        answers=answers,
    )


FREE = QuestionSpec(id="q_free", kind=QuestionKind.FREE_TEXT, text="Any comments?")
SCALE = QuestionSpec(
    id="q_scale",
    kind=QuestionKind.AGREEMENT_SCALE,
    options=("Strongly agree", "Agree", "Neither agree nor disagree", "Disagree"),
)

SINGLE = QuestionSpec(id="q_single", kind=QuestionKind.SINGLE_CHOICE, options=("Yes", "No"))
MULTI = QuestionSpec(
    id="q_multi", kind=QuestionKind.MULTIPLE_CHOICE, options=("Schools", "Health", "Police")
)

RESPONSES = [
    response(
        "a",
        {"q_single": "Yes", "q_multi": ("Schools", "Health"), "q_scale": "Agree"},
        role="teacher",
        region="London",
    ),
    response(
        "b",
        {"q_single": "No", "q_multi": ("Schools",), "q_scale": "Disagree"},
        channel=Channel.EMAIL,
        region="London",
    ),
    response(
        "c",
        {"q_single": "Yes", "q_scale": "Strongly agree"},
        respondent_type=RespondentType.ORGANISATION,
        role="charity",
    ),
    response(
        "d", {"q_single": "Maybe", "q_multi": ("Police", "Health", "Police")}, channel=Channel.EMAIL
    ),
    response("e", {}, channel=Channel.POST),
]


def test_single_choice_counts_and_percentages() -> None:
    result = tally_closed_question(question=SINGLE, responses=RESPONSES)
    tally = result.all_submissions
    assert tally.respondents == 5
    assert tally.answered == 3  # "Maybe" is invalid, "e" did not answer
    assert tally.counts == {"Yes": 2, "No": 1}
    assert tally.percentages == {"Yes": 66.67, "No": 33.33}
    assert result.invalid_answer_count == 1


def test_multiple_choice_percentages_are_of_respondents_and_deduplicate() -> None:
    tally = tally_closed_question(question=MULTI, responses=RESPONSES).all_submissions
    assert tally.answered == 3
    assert tally.counts == {"Schools": 2, "Health": 2, "Police": 1}
    assert tally.percentages["Schools"] == pytest.approx(66.67)
    assert sum(tally.percentages.values()) > 100


def test_agreement_scale_stance_totals() -> None:
    tally = tally_closed_question(question=SCALE, responses=RESPONSES).all_submissions
    assert tally.stance_counts == {"agree": 2, "disagree": 1, "unclear": 0}


def test_excluding_campaigns_and_cross_tabs() -> None:
    result = tally_closed_question(
        question=SINGLE, responses=RESPONSES, campaign_response_ids={"a", "b"}
    )
    assert result.excluding_campaigns.counts == {"Yes": 1, "No": 0}
    assert result.excluding_campaigns.respondents == 3
    channel = result.cross_tabs["channel"]
    assert channel.all_submissions["online"].counts == {"Yes": 2, "No": 0}
    assert channel.all_submissions["email"].counts == {"Yes": 0, "No": 1}
    assert channel.excluding_campaigns["online"].counts == {"Yes": 1, "No": 0}
    assert "email" in channel.excluding_campaigns  # "d" is outside campaigns
    kinds = result.cross_tabs["respondent_type"].all_submissions
    assert kinds["organisation"].counts == {"Yes": 1, "No": 0}
    assert result.cross_tabs["role"].all_submissions["(not given)"].respondents == 3
    assert set(result.cross_tabs["region"].all_submissions) == {"London", "(not given)"}


def test_tally_all_skips_free_text_and_rejects_free_text_directly() -> None:
    results = tally_closed_questions(questions=[SINGLE, FREE, MULTI], responses=RESPONSES)
    assert set(results) == {"q_single", "q_multi"}
    with pytest.raises(ValueError, match="not a closed question"):
        tally_closed_question(question=FREE, responses=RESPONSES)


def test_empty_responses() -> None:
    tally = tally_closed_question(question=SINGLE, responses=[]).all_submissions
    assert tally.answered == 0
    assert tally.percentages == {"Yes": 0.0, "No": 0.0}


def test_option_stances_from_labels_and_explicit() -> None:
    assert SCALE.stance_of_option("Neither agree nor disagree").value == "unclear"
    assert SCALE.stance_of_option("Strongly agree").value == "agree"
    assert SCALE.stance_of_option("Disagree").value == "disagree"
    explicit = QuestionSpec(
        id="q",
        kind=QuestionKind.AGREEMENT_SCALE,
        options=("Yes", "No"),
        option_stances={"Yes": Stance.AGREE, "No": Stance.DISAGREE},
    )
    assert explicit.stance_of_option("No") is Stance.DISAGREE
