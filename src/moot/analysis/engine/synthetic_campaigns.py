"""The planted campaigns of the synthetic consultation.

Each campaign answers some free-text questions with a template made of paragraphs; a paragraph
is a list of items, each either a theme key (a sentence from that theme's bank is drawn once
when the template is built) or a literal campaign sentence (``{town}`` is the campaign's town,
which some members change). ``"stance"`` draws a sentence of the campaign's stance.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlantedCampaign:
    key: str
    share: float
    stance: str
    scale_answer: str
    town: str
    plan: dict[str, tuple[tuple[str, ...], ...]]


CAMPAIGN_SENTENCE_PREFIX = "="
"""Plan items starting with this are literal campaign sentences, not theme keys."""

CAMPAIGNS: tuple[PlantedCampaign, ...] = (
    PlantedCampaign(
        key="save_our_boards",
        share=0.20,
        stance="disagree",
        scale_answer="Strongly disagree",
        town="Manchester",
        plan={
            "q_proposal_explain": (
                (
                    "=We are writing as supporters of the Save Our Safeguarding Boards campaign.",
                    "stance",
                    "lscb_role",
                    "lscb_role",
                ),
                ("lscb_role", "independent_scrutiny", "independent_scrutiny"),
                (
                    "resources_funding",
                    "=Boards in places like {town} keep children safe and must be kept.",
                    "=We urge ministers to think again before dismantling a system that works.",
                ),
            ),
            "q_children_families": (
                ("early_help", "early_help", "=Strong local boards make early help possible."),
            ),
        },
    ),
    PlantedCampaign(
        key="children_first",
        share=0.10,
        stance="agree",
        scale_answer="Agree",
        town="Birmingham",
        plan={
            "q_proposal_explain": (
                ("=As supporters of Children First we back this reform.", "stance"),
                ("accountability", "accountability", "schools_involvement"),
                ("=Families in {town} and everywhere else deserve a system that is clear.",),
            ),
            "q_children_families": (
                ("voice_of_child", "voice_of_child"),
                (
                    "children_as_victims",
                    "=Every decision must start from what is best for the child.",
                ),
            ),
        },
    ),
    PlantedCampaign(
        key="fund_early_help",
        share=0.06,
        stance="unclear",
        scale_answer="Neither agree nor disagree",
        town="Newcastle",
        plan={
            "q_children_families": (
                (
                    "=We write as members of the Fund Early Help coalition.",
                    "early_help",
                    "early_help",
                ),
                ("support_for_parents", "support_for_parents"),
                (
                    "resources_funding",
                    "resources_funding",
                    "=Cutting early help in {town} and across the country is a false economy.",
                ),
            ),
            "q_information_sharing": (("resources_funding", "training"),),
        },
    ),
    PlantedCampaign(
        key="teachers_for_safeguarding",
        share=0.04,
        stance="disagree",
        scale_answer="Disagree",
        town="Liverpool",
        plan={
            "q_proposal_explain": (
                ("=As members of the teaching profession we have a clear message.", "stance"),
                ("schools_involvement", "schools_involvement", "transition"),
                ("transition", "=Our schools in {town} cannot be an afterthought."),
            ),
            "q_information_sharing": (("information_sharing", "information_sharing", "training"),),
        },
    ),
    PlantedCampaign(
        key="victims_not_criminals",
        share=0.02,
        stance="agree",
        scale_answer="Strongly agree",
        town="Nottingham",
        plan={
            "q_children_families": (
                (
                    "=We support the Victims Not Criminals campaign.",
                    "children_as_victims",
                    "children_as_victims",
                    "children_as_victims",
                ),
                ("training", "=Young people in {town} are being groomed right now."),
            ),
        },
    ),
    PlantedCampaign(
        key="parents_voice",
        share=0.005,
        stance="unclear",
        scale_answer="Neither agree nor disagree",
        town="Cardiff",
        plan={
            "q_children_families": (
                (
                    "=Parents Voice in {town} asks you to hear from families.",
                    "support_for_parents",
                    "support_for_parents",
                ),
            ),
            "q_information_sharing": (("data_protection", "information_sharing"),),
        },
    ),
)
