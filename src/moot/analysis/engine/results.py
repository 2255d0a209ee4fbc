"""Result dataclasses of the analysis engine. All convert to plain JSON and back.

Counting conventions, used throughout:

* ``all_submissions`` counts every response, campaign members included;
* ``excluding_campaigns`` counts only responses that belong to no campaign;
* ``distinct_texts`` (themes and stance) counts each analysed text once: every response
  outside campaigns, each campaign's template once, and each member's personalised addition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Self

from moot.analysis.engine.inputs import AnalysisParams, QuestionKind, Stance
from moot.analysis.engine.serialization import from_jsonable, to_jsonable

# --- campaigns -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CampaignMember:
    """One response of a campaign. ``similarity`` is the word-shingle Jaccard similarity to the
    template (1.0 = same words), ``overlap`` the overlap coefficient (1.0 = one text contains
    the other). ``additions`` holds, per question, the sentences the member added."""

    response_id: str
    similarity: float
    overlap: float
    is_exact_copy: bool
    additions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Campaign:
    id: str
    template_response_id: str
    template_texts: dict[str, str]
    size: int
    distinct_text_count: int
    members: tuple[CampaignMember, ...]


@dataclass(frozen=True, kw_only=True)
class CampaignReport:
    """``distinct_submission_count`` counts responses outside campaigns plus one per campaign
    (UK practice: every submission is counted, a standard text is analysed once)."""

    question_ids: tuple[str, ...]
    campaigns: tuple[Campaign, ...]
    total_responses: int
    campaign_response_count: int
    non_campaign_response_count: int
    distinct_submission_count: int

    def campaign_of(self) -> dict[str, str]:
        """Response id → campaign id, for campaign members only."""
        return {m.response_id: c.id for c in self.campaigns for m in c.members}


@dataclass(frozen=True, kw_only=True)
class CampaignMatch:
    campaign_id: str
    similarity: float
    overlap: float


# --- closed questions ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Tally:
    """Counts per option among ``answered`` respondents; percentages are of ``answered``
    (so multiple-choice percentages may add up to more than 100). ``stance_counts`` is given
    for agreement scales (agree / disagree / unclear totals)."""

    respondents: int
    answered: int
    counts: dict[str, int]
    percentages: dict[str, float]
    stance_counts: dict[str, int] | None = None


@dataclass(frozen=True, kw_only=True)
class CrossTab:
    """One tally per value of ``dimension`` (respondent_type, role, region or channel)."""

    dimension: str
    all_submissions: dict[str, Tally]
    excluding_campaigns: dict[str, Tally]


@dataclass(frozen=True, kw_only=True)
class ClosedQuestionResult:
    question_id: str
    kind: QuestionKind
    options: tuple[str, ...]
    all_submissions: Tally
    excluding_campaigns: Tally
    cross_tabs: dict[str, CrossTab]
    invalid_answer_count: int = 0


# --- themes --------------------------------------------------------------------------------

ThemeOrigin = Literal["discovered", "analyst"]
AssignmentSource = Literal["coded", "model", "campaign"]
ThemeModel = Literal["classifier", "similarity", "blend"]


@dataclass(frozen=True, kw_only=True)
class Quote:
    response_id: str
    text: str


@dataclass(frozen=True, kw_only=True)
class ThemeCounts:
    all_submissions: int
    excluding_campaigns: int
    distinct_texts: int


@dataclass(frozen=True, kw_only=True)
class ThemeSummary:
    """A theme of one free-text question as the analyst sees it after their edits.

    ``model`` tells how answers were assigned to it: a classifier trained on hand-coded
    answers, similarity to the theme's terms (too few coded answers), or a blend of both."""

    id: str
    label: str
    description: str
    origin: ThemeOrigin
    top_terms: tuple[str, ...]
    quotes: tuple[Quote, ...]
    counts: ThemeCounts
    coded_count: int
    model: ThemeModel


@dataclass(frozen=True, kw_only=True)
class ThemeAssignment:
    """Themes of one response's answer with a confidence each (0 to 1). ``source`` is
    ``coded`` (hand-coded by the analyst), ``model`` or ``campaign`` (template themes, plus
    the themes of the member's own additions)."""

    response_id: str
    themes: dict[str, float]
    source: AssignmentSource


@dataclass(frozen=True, kw_only=True)
class ReviewItem:
    response_id: str
    uncertainty: float
    reason: str


StanceSource = Literal["closed_answer", "text", "coded", "campaign"]


@dataclass(frozen=True, kw_only=True)
class StanceAssignment:
    response_id: str
    stance: Stance
    confidence: float
    source: StanceSource
    conflict: bool = False


@dataclass(frozen=True, kw_only=True)
class StanceResult:
    all_submissions: dict[str, int]
    excluding_campaigns: dict[str, int]
    distinct_texts: dict[str, int]
    assignments: tuple[StanceAssignment, ...]
    text_model: str


EvidenceSource = Literal["text", "coded", "campaign"]


@dataclass(frozen=True, kw_only=True)
class EvidenceFlag:
    """One answer that brings evidence; ``kinds`` are those its cues show (``figures``,
    ``sources``, ``experience``, ``organisation``), possibly none when the learned model or
    the analyst flagged it."""

    response_id: str
    kinds: tuple[str, ...]
    confidence: float
    source: EvidenceSource


@dataclass(frozen=True, kw_only=True)
class EvidenceResult:
    flagged_count: int
    model: str  # "cues" or "classifier"
    flags: tuple[EvidenceFlag, ...]


@dataclass(frozen=True, kw_only=True)
class FreeTextQuestionResult:
    """``coding_suggestions`` are the response ids the engine suggests the analyst codes next:
    the most uncertain answers interleaved with a seeded random sample."""

    question_id: str
    answered_count: int
    distinct_text_count: int
    themes: tuple[ThemeSummary, ...]
    assignments: tuple[ThemeAssignment, ...]
    review_queue: tuple[ReviewItem, ...]
    review_queue_total: int
    coding_suggestions: tuple[str, ...]
    stance: StanceResult | None = None
    evidence: EvidenceResult | None = None


@dataclass(frozen=True, kw_only=True)
class ThemeRecord:
    """Registry entry giving a theme id its identity across runs. ``signature`` holds the
    theme's top terms and weights as discovered; ``status`` is what the analyst's edits did to
    it (``active``, ``deleted``, ``merged`` or ``split``); ``merged_into`` is set for merges."""

    theme_id: str
    question_id: str
    origin: ThemeOrigin
    label: str
    signature: dict[str, float]
    status: Literal["active", "deleted", "merged", "split"] = "active"
    merged_into: str | None = None


# --- the whole run -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AnalysisResult:
    engine_version: str
    params: AnalysisParams
    input_fingerprint: str
    library_versions: dict[str, str]
    response_count: int
    campaigns: CampaignReport
    closed_questions: dict[str, ClosedQuestionResult]
    free_text_questions: dict[str, FreeTextQuestionResult]
    theme_registry: dict[str, tuple[ThemeRecord, ...]]
    next_theme_number: dict[str, int]
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return dict(to_jsonable(self))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return from_jsonable(cls, data)
