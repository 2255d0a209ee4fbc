"""moot's analysis engine: campaigns, closed-question tallies, themes and stance.

Pure Python (numpy, scipy, scikit-learn); it must never import Django. Inputs and results are
dataclasses that convert to plain JSON and back. See README.md beside this file.
"""

from moot.analysis.engine.campaigns import detect_campaigns, extract_additions
from moot.analysis.engine.inputs import (
    AddTheme,
    AnalysisParams,
    AnalystState,
    Answer,
    Channel,
    DeleteTheme,
    MergeThemes,
    NewTheme,
    QuestionKind,
    QuestionSpec,
    RenameTheme,
    RespondentType,
    ResponseInput,
    SplitTheme,
    Stance,
    StanceCoding,
    ThemeCoding,
    ThemeEdit,
)
from moot.analysis.engine.matcher import CampaignMatcher
from moot.analysis.engine.pipeline import ENGINE_VERSION, ProgressCallback, run_analysis
from moot.analysis.engine.results import (
    AnalysisResult,
    Campaign,
    CampaignMatch,
    CampaignMember,
    CampaignReport,
    ClosedQuestionResult,
    CrossTab,
    FreeTextQuestionResult,
    Quote,
    ReviewItem,
    StanceAssignment,
    StanceResult,
    Tally,
    ThemeAssignment,
    ThemeCounts,
    ThemeRecord,
    ThemeSummary,
)
from moot.analysis.engine.tallies import tally_closed_question, tally_closed_questions

__version__ = ENGINE_VERSION

__all__ = [
    "ENGINE_VERSION",
    "AddTheme",
    "AnalysisParams",
    "AnalysisResult",
    "AnalystState",
    "Answer",
    "Campaign",
    "CampaignMatch",
    "CampaignMatcher",
    "CampaignMember",
    "CampaignReport",
    "Channel",
    "ClosedQuestionResult",
    "CrossTab",
    "DeleteTheme",
    "FreeTextQuestionResult",
    "MergeThemes",
    "NewTheme",
    "ProgressCallback",
    "QuestionKind",
    "QuestionSpec",
    "Quote",
    "RenameTheme",
    "RespondentType",
    "ResponseInput",
    "ReviewItem",
    "SplitTheme",
    "Stance",
    "StanceAssignment",
    "StanceCoding",
    "StanceResult",
    "Tally",
    "ThemeAssignment",
    "ThemeCoding",
    "ThemeCounts",
    "ThemeEdit",
    "ThemeRecord",
    "ThemeSummary",
    "detect_campaigns",
    "extract_additions",
    "run_analysis",
    "tally_closed_question",
    "tally_closed_questions",
]
