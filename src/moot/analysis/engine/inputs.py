"""Input dataclasses of the analysis engine: the questionnaire, the responses, the analyst's
work so far (theme edits and hand-coding) and the run parameters."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Self

from moot.analysis.engine.serialization import from_jsonable, to_jsonable


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    AGREEMENT_SCALE = "agreement_scale"
    FREE_TEXT = "free_text"


class Channel(StrEnum):
    ONLINE = "online"
    EMAIL = "email"
    POST = "post"
    IMPORT = "import"


class RespondentType(StrEnum):
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"
    UNKNOWN = "unknown"


class Stance(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    UNCLEAR = "unclear"


CLOSED_KINDS = frozenset(
    {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.AGREEMENT_SCALE}
)

Answer = str | tuple[str, ...]
"""A free-text answer or a single option is a ``str``; a multiple-choice answer is a tuple."""


@dataclass(frozen=True, kw_only=True)
class QuestionSpec:
    """One question of the consultation.

    ``option_stances`` tells, for an agreement scale, which options mean agree or disagree;
    when left out it is read from the option labels (``"Neither agree nor disagree"`` and
    ``"Don't know"`` → unclear, ``"Disagree"`` → disagree, ``"Agree"`` → agree, anything else →
    unclear). ``paired_scale_question_id`` links a free-text question
    asking "do you agree? please explain" to the closed scale question it explains.
    """

    id: str
    kind: QuestionKind
    text: str = ""
    options: tuple[str, ...] = ()
    asks_agreement: bool = False
    paired_scale_question_id: str | None = None
    option_stances: dict[str, Stance] | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a question needs a non-empty id")
        if self.kind in CLOSED_KINDS and not self.options:
            raise ValueError(f"closed question {self.id!r} needs options")
        if len(set(self.options)) != len(self.options):
            raise ValueError(f"question {self.id!r} has duplicate options")

    @property
    def is_closed(self) -> bool:
        return self.kind in CLOSED_KINDS

    def stance_of_option(self, option: str) -> Stance:
        if self.option_stances is not None:
            return self.option_stances.get(option, Stance.UNCLEAR)
        lowered = option.lower()
        if "neither" in lowered or " nor " in lowered or "know" in lowered:
            return Stance.UNCLEAR
        if "disagree" in lowered or "oppose" in lowered:
            return Stance.DISAGREE
        if "agree" in lowered or "support" in lowered:
            return Stance.AGREE
        return Stance.UNCLEAR


@dataclass(frozen=True, kw_only=True)
class ResponseInput:
    """One submission. ``answers`` maps question ids to answers (see :data:`Answer`)."""

    id: str
    channel: Channel = Channel.ONLINE
    respondent_type: RespondentType = RespondentType.UNKNOWN
    role: str | None = None
    region: str | None = None
    answers: Mapping[str, Answer] = field(default_factory=dict)

    def free_text(self, question_id: str) -> str:
        """The answer to ``question_id`` if it is text, else ``""`` (meant for free-text
        questions; a single-choice answer is also a string)."""
        value = self.answers.get(question_id)
        return value if isinstance(value, str) else ""


# --- analyst theme edits -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NewTheme:
    """A theme the analyst creates (by adding or splitting). The caller chooses its id."""

    theme_id: str
    label: str
    description: str = ""
    seed_terms: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RenameTheme:
    OP: ClassVar[str] = "rename"
    theme_id: str
    label: str
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class MergeThemes:
    """Fold ``source_theme_ids`` into ``target_theme_id`` (which stays)."""

    OP: ClassVar[str] = "merge"
    source_theme_ids: tuple[str, ...]
    target_theme_id: str
    label: str | None = None


@dataclass(frozen=True, kw_only=True)
class SplitTheme:
    """Replace ``theme_id`` with the new themes in ``into``."""

    OP: ClassVar[str] = "split"
    theme_id: str
    into: tuple[NewTheme, ...]


@dataclass(frozen=True, kw_only=True)
class DeleteTheme:
    OP: ClassVar[str] = "delete"
    theme_id: str


@dataclass(frozen=True, kw_only=True)
class AddTheme:
    OP: ClassVar[str] = "add"
    theme: NewTheme


ThemeEdit = RenameTheme | MergeThemes | SplitTheme | DeleteTheme | AddTheme


@dataclass(frozen=True, kw_only=True)
class ThemeCoding:
    """The analyst's hand-coding of one answer: exactly these themes (empty = none apply)."""

    question_id: str
    response_id: str
    theme_ids: frozenset[str]


@dataclass(frozen=True, kw_only=True)
class StanceCoding:
    question_id: str
    response_id: str
    stance: Stance


@dataclass(frozen=True, kw_only=True)
class EvidenceCoding:
    """The analyst's flag on one answer: it brings evidence (figures, sources, lived
    experience, an organisation's data) or it does not."""

    question_id: str
    response_id: str
    has_evidence: bool


@dataclass(frozen=True, kw_only=True)
class AnalystState:
    """Everything the analyst has done; replayed on every run so re-runs keep it.

    ``theme_edits`` maps a question id to its edits in the order they were made.
    """

    theme_edits: Mapping[str, tuple[ThemeEdit, ...]] = field(default_factory=dict)
    codings: tuple[ThemeCoding, ...] = ()
    stance_codings: tuple[StanceCoding, ...] = ()
    evidence_codings: tuple[EvidenceCoding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return dict(to_jsonable(self))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return from_jsonable(cls, data)


@dataclass(frozen=True, kw_only=True)
class AnalysisParams:
    """All tunable parameters; copied into every result so a run can be reproduced."""

    seed: int = 0
    # campaigns: shingling, MinHash-LSH candidates, exact verification
    shingle_size: int = 3
    num_perm: int = 128
    lsh_bands: int = 32
    candidate_min_estimated_jaccard: float = 0.3
    campaign_min_jaccard: float = 0.3
    campaign_min_overlap: float = 0.7
    campaign_min_shared_shingles: int = 25
    campaign_min_words: int = 15
    min_campaign_size: int = 5
    addition_max_sentence_similarity: float = 0.5
    # theme discovery
    max_themes_per_question: int = 15
    min_theme_size: int = 5
    discovery_sample_size: int = 20_000
    top_terms_per_theme: int = 10
    signature_terms: int = 30
    quotes_per_theme: int = 3
    theme_match_threshold: float = 0.4
    # theme assignment: "tfidf" is the word-count path; any other value names a sentence
    # embedding model (see engine/embeddings.py)
    text_model: str = "wordllama-l2-supercat-256"
    semantic_min_similarity: float = 0.0
    semantic_relative_similarity: float = 0.8
    semantic_coded_weight: float = 5.0
    min_positive_examples: int = 5
    assignment_threshold: float = 0.5
    unsupervised_similarity_threshold: float = 0.15
    self_training_rounds: int = 0
    self_training_size: int = 5_000
    review_margin: float = 0.2
    review_queue_limit: int = 1_000
    coding_suggestion_count: int = 200
    # stance
    stance_min_confidence: float = 0.6

    def __post_init__(self) -> None:
        if self.num_perm % self.lsh_bands:
            raise ValueError("num_perm must be a multiple of lsh_bands")
        if not 1 <= self.shingle_size <= 8 or self.min_campaign_size < 2:
            raise ValueError("shingle_size must be 1 to 8 and min_campaign_size >= 2")
        for name in (
            "candidate_min_estimated_jaccard",
            "campaign_min_jaccard",
            "campaign_min_overlap",
            "assignment_threshold",
            "theme_match_threshold",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")

    @property
    def lsh_rows(self) -> int:
        return self.num_perm // self.lsh_bands

    def replace(self, **changes: Any) -> AnalysisParams:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dict(to_jsonable(self))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return from_jsonable(cls, data)
