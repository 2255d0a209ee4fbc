from __future__ import annotations

import pytest

from moot.analysis.engine import (
    AnalysisParams,
    CampaignMatcher,
    QuestionKind,
    QuestionSpec,
    ResponseInput,
    detect_campaigns,
    extract_additions,
)
from moot.analysis.engine.evaluation import pair_scores
from moot.analysis.engine.synthetic import SyntheticConsultation, _Generator

QUESTIONS = (
    QuestionSpec(id="q1", kind=QuestionKind.FREE_TEXT),
    QuestionSpec(id="q2", kind=QuestionKind.FREE_TEXT),
)
PARAGRAPHS = (
    "We are writing as members of the Keep Families Together campaign in Sheffield. "
    "Local safeguarding boards have brought schools, police and health services together "
    "for many years and the experience they hold would be very hard to rebuild.",
    "The proposals leave it unclear who will answer for failures when three partners share "
    "responsibility. We ask that named senior leaders sign off the local arrangements.",
    "None of this will work without proper funding for early help, because councils have "
    "already faced a decade of cuts and cannot absorb new duties on top of existing ones.",
)
TEMPLATE_Q1 = "\n\n".join(PARAGRAPHS)
TEMPLATE_Q2 = "Information must follow the child when a family moves between areas."
ADDED = "My daughter was failed by three different agencies before anyone listened to us."


def variants() -> dict[str, tuple[str, str]]:
    return {
        "exact": (TEMPLATE_Q1, TEMPLATE_Q2),
        "added": (TEMPLATE_Q1.replace("years and", "years and") + " " + ADDED, TEMPLATE_Q2),
        "removed": ("\n\n".join(PARAGRAPHS[:2]), TEMPLATE_Q2),
        "renamed": (TEMPLATE_Q1.replace("Sheffield", "Norwich"), TEMPLATE_Q2),
        "typos": (
            TEMPLATE_Q1.replace("safeguarding", "safegaurding").replace("rebuild", "rebuld"),
            TEMPLATE_Q2,
        ),
        "case_and_spacing": (TEMPLATE_Q1.upper().replace(" ", "  "), TEMPLATE_Q2),
    }


def campaign_corpus(organic: int = 30) -> list[ResponseInput]:
    responses = [
        ResponseInput(id=f"copy{i}", answers={"q1": TEMPLATE_Q1, "q2": TEMPLATE_Q2})
        for i in range(6)
    ]
    for name, (q1, q2) in variants().items():
        responses.append(ResponseInput(id=f"variant_{name}", answers={"q1": q1, "q2": q2}))
    generator = _Generator(11)
    for i in range(organic):
        text, _ = generator.organic_answer("q_proposal_explain", "disagree")
        responses.append(ResponseInput(id=f"organic{i}", answers={"q1": text}))
    return responses


def test_finds_exact_copies_and_every_kind_of_edit() -> None:
    report = detect_campaigns(questions=QUESTIONS, responses=campaign_corpus())
    assert len(report.campaigns) == 1
    campaign = report.campaigns[0]
    members = {m.response_id: m for m in campaign.members}
    expected = {f"copy{i}" for i in range(6)} | {f"variant_{n}" for n in variants()}
    assert set(members) == expected
    assert campaign.size == len(expected)
    assert campaign.template_texts == {"q1": TEMPLATE_Q1, "q2": TEMPLATE_Q2}
    assert members["copy3"].is_exact_copy
    assert members["variant_case_and_spacing"].is_exact_copy
    assert members["copy0"].similarity == 1.0
    assert members["variant_removed"].overlap >= 0.95
    assert members["variant_removed"].similarity < 1.0
    assert not members["variant_renamed"].is_exact_copy
    assert report.campaign_response_count == len(expected)
    assert report.non_campaign_response_count == 30
    assert report.distinct_submission_count == 31


def test_personalised_additions_are_kept() -> None:
    report = detect_campaigns(questions=QUESTIONS, responses=campaign_corpus(organic=0))
    members = {m.response_id: m for m in report.campaigns[0].members}
    assert members["variant_added"].additions == {"q1": ADDED}
    assert members["variant_renamed"].additions == {}  # a changed name is not an addition
    assert members["variant_typos"].additions == {}
    assert members["copy1"].additions == {}


def test_near_topic_responses_are_not_grouped(small_consultation: SyntheticConsultation) -> None:
    report = detect_campaigns(questions=QUESTIONS, responses=campaign_corpus(organic=200))
    grouped = report.campaign_of()
    assert not any(r.startswith("organic") for r in grouped)


def test_synthetic_campaigns_recovered(small_consultation: SyntheticConsultation) -> None:
    report = detect_campaigns(
        questions=small_consultation.questions, responses=small_consultation.responses
    )
    scores = pair_scores(report.campaign_of(), small_consultation.truth.campaign_of)
    assert scores.precision >= 0.99
    assert scores.recall >= 0.99


def test_min_campaign_size_and_short_texts() -> None:
    short = [ResponseInput(id=f"s{i}", answers={"q1": "No comment."}) for i in range(50)]
    pair = [ResponseInput(id=f"p{i}", answers={"q1": TEMPLATE_Q1}) for i in range(2)]
    report = detect_campaigns(questions=QUESTIONS, responses=short + pair)
    assert report.campaigns == ()
    report = detect_campaigns(
        questions=QUESTIONS, responses=pair, params=AnalysisParams(min_campaign_size=2)
    )
    assert [c.size for c in report.campaigns] == [2]


def test_extract_additions_ignores_small_edits() -> None:
    text = TEMPLATE_Q2.replace("family", "familly") + " I also want faster referrals."
    assert extract_additions(text=text, template=TEMPLATE_Q2, max_similarity=0.5) == (
        "I also want faster referrals."
    )


def test_matcher_agrees_with_batch(small_consultation: SyntheticConsultation) -> None:
    report = detect_campaigns(
        questions=small_consultation.questions, responses=small_consultation.responses
    )
    matcher = CampaignMatcher(campaigns=report.campaigns, question_ids=report.question_ids)
    assert len(matcher) == len(report.campaigns)
    batch = report.campaign_of()
    for response in small_consultation.responses:
        match = matcher.match(answers=response.answers)
        assert (match.campaign_id if match else None) == batch.get(response.id), response.id


def test_matcher_on_edited_copy_and_unrelated_text() -> None:
    report = detect_campaigns(questions=QUESTIONS, responses=campaign_corpus(organic=5))
    matcher = CampaignMatcher(campaigns=report.campaigns, question_ids=report.question_ids)
    edited = {"q1": TEMPLATE_Q1.replace("Sheffield", "Leeds") + " " + ADDED, "q2": TEMPLATE_Q2}
    match = matcher.match(answers=edited)
    assert match is not None
    assert match.campaign_id == report.campaigns[0].id
    assert match.similarity < 1.0
    assert matcher.match(answers={"q1": "I have nothing to add."}) is None
    assert matcher.match(answers={}) is None
    empty = CampaignMatcher(campaigns=(), question_ids=("q1",))
    assert empty.match(answers=edited) is None


@pytest.mark.parametrize("size", [0, 1])
def test_tiny_inputs(size: int) -> None:
    responses = campaign_corpus(organic=0)[:size]
    report = detect_campaigns(questions=QUESTIONS, responses=responses)
    assert report.campaigns == ()
    assert report.total_responses == size
