"""The questionnaire and respondent mix of the synthetic consultation."""

from __future__ import annotations

from moot.analysis.engine.inputs import QuestionKind, QuestionSpec

SCALE_OPTIONS = (
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
)
AGENCY_OPTIONS = (
    "Schools",
    "Early years settings",
    "Health",
    "Police",
    "Probation",
    "Housing",
    "Voluntary sector",
    "Sports clubs",
    "Faith groups",
)
AGENCY_PROBABILITIES = (0.8, 0.5, 0.7, 0.6, 0.4, 0.3, 0.5, 0.25, 0.2)

QUESTIONS: tuple[QuestionSpec, ...] = (
    QuestionSpec(
        id="q_proposal_scale",
        kind=QuestionKind.AGREEMENT_SCALE,
        text="Do you agree with replacing LSCBs with arrangements led by three safeguarding "
        "partners (the local authority, the police and health)?",
        options=SCALE_OPTIONS,
    ),
    QuestionSpec(
        id="q_proposal_explain",
        kind=QuestionKind.FREE_TEXT,
        text="Please explain your answer.",
        asks_agreement=True,
        paired_scale_question_id="q_proposal_scale",
    ),
    QuestionSpec(
        id="q_statutory",
        kind=QuestionKind.SINGLE_CHOICE,
        text="Should the list of relevant agencies be set out in regulations?",
        options=("Yes", "No", "Don't know"),
    ),
    QuestionSpec(
        id="q_relevant_agencies",
        kind=QuestionKind.MULTIPLE_CHOICE,
        text="Which of these should be named as relevant agencies? Select all that apply.",
        options=AGENCY_OPTIONS,
    ),
    QuestionSpec(
        id="q_information_sharing",
        kind=QuestionKind.FREE_TEXT,
        text="What would help practitioners share information between agencies?",
    ),
    QuestionSpec(
        id="q_children_families",
        kind=QuestionKind.FREE_TEXT,
        text="What more could the guidance do to support children and families?",
    ),
)

QUESTION_THEME_WEIGHTS: dict[str, dict[str, float]] = {
    "q_proposal_explain": {
        "lscb_role": 3.0,
        "accountability": 2.0,
        "independent_scrutiny": 2.0,
        "schools_involvement": 1.5,
        "transition": 1.2,
        "resources_funding": 2.0,
    },
    "q_information_sharing": {
        "information_sharing": 3.0,
        "data_protection": 2.0,
        "training": 2.0,
        "it_systems": 1.5,
        "resources_funding": 1.2,
    },
    "q_children_families": {
        "children_as_victims": 2.0,
        "support_for_parents": 2.0,
        "voice_of_child": 1.5,
        "early_help": 2.0,
        "training": 1.0,
        "resources_funding": 1.2,
    },
}
ANSWER_PROBABILITY = {
    "q_proposal_explain": 0.85,
    "q_information_sharing": 0.7,
    "q_children_families": 0.75,
}
INDIVIDUAL_ROLES = (
    "parent or carer",
    "social worker",
    "teacher",
    "health professional",
    "police officer",
    "youth worker",
    "foster carer",
    "young person",
    "other",
)
ORGANISATION_ROLES = (
    "local authority",
    "charity",
    "school or college",
    "health organisation",
    "police force",
    "safeguarding board",
    "professional body",
)
REGIONS = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
    "Wales",
)
