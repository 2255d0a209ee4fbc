"""Deterministic generator of a labelled synthetic consultation.

The consultation asks about safeguarding guidance: an agreement scale on replacing Local
Safeguarding Children Boards (LSCBs), a yes/no question, a multiple-choice question and three
free-text questions, the first asking respondents to explain whether they agree. Responses come
from individuals and organisations through four channels. About two fifths belong to planted
campaigns whose members copy a template with edits (a sentence added, a paragraph removed, the
town changed, a sign-off added, typos). Free text is composed from theme phrase banks with
slot-filled wording, so each answer carries ground-truth themes; some answers are off topic,
and a few organic answers quote one sentence of a campaign without being part of it.

``generate_consultation(responses=100_000, seed=0)`` returns the questions, the responses and
a :class:`GroundTruth`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import cast

from moot.analysis.engine.inputs import (
    Answer,
    Channel,
    QuestionSpec,
    RespondentType,
    ResponseInput,
    Stance,
)
from moot.analysis.engine.synthetic_campaigns import (
    CAMPAIGN_SENTENCE_PREFIX,
    CAMPAIGNS,
    PlantedCampaign,
)
from moot.analysis.engine.synthetic_phrases import (
    CLOSERS,
    FILLERS,
    NAMES,
    OFF_TOPIC,
    OPENERS,
    PARAPHRASES,
    PERSONAL_ADDITIONS,
    SLOTS,
    STANCE_SENTENCES,
    TOWNS,
)
from moot.analysis.engine.synthetic_questions import (
    AGENCY_OPTIONS,
    AGENCY_PROBABILITIES,
    ANSWER_PROBABILITY,
    INDIVIDUAL_ROLES,
    ORGANISATION_ROLES,
    QUESTION_THEME_WEIGHTS,
    QUESTIONS,
    REGIONS,
)
from moot.analysis.engine.synthetic_themes import THEMES

_SLOT_RE = re.compile(r"\{(\w+)\}")
_WORD_SPLIT_RE = re.compile(r"(\w+)")
Compiled = tuple[str | tuple[str, ...], ...]


@dataclass(frozen=True, kw_only=True)
class PlantedTheme:
    key: str
    label: str
    description: str
    seed_terms: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class GroundTruth:
    """``themes[question_id][response_id]`` holds the planted themes of every answer given;
    ``campaign_of`` maps campaign members to their campaign key; ``stance`` gives each
    respondent's stance on the proposal."""

    campaign_of: dict[str, str]
    themes: dict[str, dict[str, frozenset[str]]]
    stance: dict[str, Stance]
    catalogue: dict[str, tuple[PlantedTheme, ...]]


@dataclass(frozen=True, kw_only=True)
class SyntheticConsultation:
    questions: tuple[QuestionSpec, ...]
    responses: tuple[ResponseInput, ...]
    truth: GroundTruth


def _compile(template: str, *, paraphrase: bool = True) -> Compiled:
    """Split a sentence into literal text and alternatives (slots and paraphrasable words)."""
    parts: list[str | tuple[str, ...]] = []
    for index, piece in enumerate(_SLOT_RE.split(template)):
        if index % 2:
            parts.append(SLOTS[piece])
            continue
        for word in _WORD_SPLIT_RE.split(piece):
            if not word:
                continue
            alternatives = PARAPHRASES.get(word) if paraphrase and word.islower() else None
            if alternatives is not None:
                parts.append(alternatives)
            elif parts and isinstance(parts[-1], str):
                parts[-1] += word
            else:
                parts.append(word)
    return tuple(parts)


_THEME_BANKS: dict[str, tuple[Compiled, ...]] = {
    key: tuple(_compile(s) for s in cast(tuple[str, ...], spec["sentences"]))
    for key, spec in THEMES.items()
}
_STANCE_BANKS = {k: tuple(_compile(s) for s in v) for k, v in STANCE_SENTENCES.items()}
_FILLER_BANK = tuple(_compile(s) for s in FILLERS)
_OFF_TOPIC_BANK = tuple(_compile(s) for s in OFF_TOPIC)
_PERSONAL_BANK = tuple(_compile(s) for s in PERSONAL_ADDITIONS)


def _render(rng: random.Random, compiled: Compiled) -> str:
    draw = rng.random
    return "".join(p if p.__class__ is str else p[int(draw() * len(p))] for p in compiled)


def _fill(rng: random.Random, compiled: Compiled) -> str:
    text = _render(rng, compiled)
    return text[0].upper() + text[1:]


def _vary(rng: random.Random, compiled: Compiled) -> str:
    """A sentence as an individual respondent might write it: sometimes with an opener or a
    closing clause of their own."""
    text = _render(rng, compiled)
    roll = rng.random()
    if roll < 0.3 and not text.startswith(("I ", "LSCB", "NHS", "GP")):
        text = rng.choice(OPENERS) + text[0].lower() + text[1:]
    elif roll < 0.45 and text.endswith("."):
        text = text[:-1] + rng.choice(CLOSERS)
    return text[0].upper() + text[1:]


Sentence = tuple[str, str | None]  # (text, theme key or None)


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible simulation, not security
        self.theme_keys = {q: tuple(w) for q, w in QUESTION_THEME_WEIGHTS.items()}
        self.theme_weights = {q: tuple(w.values()) for q, w in QUESTION_THEME_WEIGHTS.items()}
        self.templates = {c.key: self._template(c, seed) for c in CAMPAIGNS}
        self.quotable = [
            (q, sentence)
            for template in self.templates.values()
            for q, paragraphs in template.items()
            for paragraph in paragraphs
            for sentence in paragraph
            if sentence[1] is None and len(sentence[0]) > 40
        ]

    # -- campaign templates ----------------------------------------------------------------
    def _template(self, campaign: PlantedCampaign, seed: int) -> dict[str, list[list[Sentence]]]:
        rng = random.Random(f"{seed}:{campaign.key}")  # noqa: S311
        used: set[int] = set()
        template: dict[str, list[list[Sentence]]] = {}
        for question_id, paragraphs in campaign.plan.items():
            rendered: list[list[Sentence]] = []
            for paragraph in paragraphs:
                sentences: list[Sentence] = []
                for item in paragraph:
                    if item.startswith(CAMPAIGN_SENTENCE_PREFIX):
                        literal = item[1:].replace("{town}", campaign.town)
                        sentences.append((literal, None))
                    elif item == "stance":
                        bank = _STANCE_BANKS[campaign.stance]
                        sentences.append((_fill(rng, bank[rng.randrange(len(bank))]), None))
                    else:
                        bank = _THEME_BANKS[item]
                        choice = rng.randrange(len(bank))
                        while id(bank[choice]) in used:
                            choice = rng.randrange(len(bank))
                        used.add(id(bank[choice]))
                        sentences.append((_fill(rng, bank[choice]), item))
                rendered.append(sentences)
            template[question_id] = rendered
        return template

    def campaign_member(
        self, campaign: PlantedCampaign
    ) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
        rng = self.rng
        answers = {q: [list(p) for p in paras] for q, paras in self.templates[campaign.key].items()}
        longest = max(answers, key=lambda q: len(answers[q]))
        if len(answers[longest]) >= 3 and rng.random() < 0.10:
            del answers[longest][rng.randrange(1, len(answers[longest]))]
        if rng.random() < 0.20:
            question_id = rng.choice(sorted(answers))
            if rng.random() < 0.6:
                added: Sentence = (_fill(rng, rng.choice(_PERSONAL_BANK)), None)
            else:
                theme = rng.choice(self.theme_keys[question_id])
                added = (_fill(rng, rng.choice(_THEME_BANKS[theme])), theme)
            paragraph = rng.choice(answers[question_id])
            paragraph.insert(rng.randrange(len(paragraph) + 1), added)
        texts = {
            q: "\n\n".join(" ".join(s for s, _ in p) for p in paras if p)
            for q, paras in answers.items()
        }
        if rng.random() < 0.15:
            other = rng.choice(TOWNS)
            texts = {q: t.replace(campaign.town, other) for q, t in texts.items()}
        if rng.random() < 0.08:
            last = sorted(texts)[-1]
            texts[last] += f"\n\nYours sincerely,\n{rng.choice(NAMES)}"
        if rng.random() < 0.15:
            question_id = rng.choice(sorted(texts))
            texts[question_id] = _typos(rng, texts[question_id], rng.randint(1, 3))
        themes = {
            q: frozenset(t for p in paras for _, t in p if t is not None)
            for q, paras in answers.items()
        }
        return texts, themes

    # -- organic answers -------------------------------------------------------------------
    def organic_answer(self, question_id: str, stance: str | None) -> tuple[str, frozenset[str]]:
        rng = self.rng
        roll = rng.random()
        theme_count = 0 if roll < 0.08 else 1 if roll < 0.55 else 2 if roll < 0.87 else 3
        keys, weights = self.theme_keys[question_id], self.theme_weights[question_id]
        chosen: list[str] = []
        while len(chosen) < theme_count:
            key = rng.choices(keys, weights)[0]
            if key not in chosen:
                chosen.append(key)
        parts: list[str] = []
        themes: set[str] = set()
        if stance is not None and rng.random() < (0.85 if stance != "unclear" else 0.6):
            parts.append(_fill(rng, rng.choice(_STANCE_BANKS[stance])))
        if rng.random() < 0.4:
            parts.append(_vary(rng, rng.choice(_FILLER_BANK)))
        for key in chosen:
            bank = _THEME_BANKS[key]
            for compiled in rng.sample(bank, rng.choice((1, 2, 2, 3, 3, 4))):
                parts.append(_vary(rng, compiled))
            themes.add(key)
        if rng.random() < 0.04 and self.quotable:
            parts.append(rng.choice(self.quotable)[1][0])
        extras = rng.sample(_OFF_TOPIC_BANK + _FILLER_BANK, 6)
        if theme_count == 0:
            for compiled in extras[: rng.randint(2, 4)]:
                parts.append(_vary(rng, compiled))
        words = sum(p.count(" ") + 1 for p in parts)
        for compiled in extras:
            if words >= 30:
                break
            extra = _vary(rng, compiled)
            if extra not in parts:
                parts.insert(rng.randrange(len(parts) + 1), extra)
                words += extra.count(" ") + 1
        return " ".join(parts), frozenset(themes)

    def organic_closed(self, stance: str, organisation: bool) -> dict[str, Answer]:
        rng = self.rng
        answers: dict[str, Answer] = {}
        if rng.random() < 0.9:
            if stance == "agree":
                answers["q_proposal_scale"] = "Strongly agree" if rng.random() < 0.4 else "Agree"
            elif stance == "disagree":
                answers["q_proposal_scale"] = (
                    "Strongly disagree" if rng.random() < 0.45 else "Disagree"
                )
            else:
                answers["q_proposal_scale"] = "Neither agree nor disagree"
        if rng.random() < 0.8:
            weights = (0.7, 0.2, 0.1) if organisation else (0.5, 0.2, 0.3)
            answers["q_statutory"] = rng.choices(("Yes", "No", "Don't know"), weights)[0]
        if rng.random() < 0.75:
            picked = tuple(
                o
                for o, p in zip(AGENCY_OPTIONS, AGENCY_PROBABILITIES, strict=True)
                if rng.random() < p
            )
            answers["q_relevant_agencies"] = picked or ("Schools",)
        return answers


def _typos(rng: random.Random, text: str, count: int) -> str:
    words = text.split(" ")
    for _ in range(count):
        index = rng.randrange(len(words))
        word = words[index]
        if len(word) < 4:
            continue
        at = rng.randrange(1, len(word) - 2)
        kind = rng.randrange(3)
        if kind == 0:
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        elif kind == 1:
            word = word[:at] + word[at + 1 :]
        else:
            word = word[:at] + word[at] + word[at:]
        words[index] = word
    return " ".join(words)


def generate_consultation(*, responses: int = 100_000, seed: int = 0) -> SyntheticConsultation:
    """Generate ``responses`` labelled responses, deterministically from ``seed``."""
    if responses < 0:
        raise ValueError("responses must be >= 0")
    gen = _Generator(seed)
    rng = gen.rng
    # (channel, respondent type, role, answers, themes, stance, campaign key)
    drafts: list[
        tuple[
            Channel,
            RespondentType,
            str,
            dict[str, Answer],
            dict[str, frozenset[str]],
            str,
            str | None,
        ]
    ] = []
    for campaign in CAMPAIGNS:
        for _ in range(round(campaign.share * responses)):
            texts, themes = gen.campaign_member(campaign)
            answers: dict[str, Answer] = dict(texts)
            if rng.random() < 0.7:
                answers["q_proposal_scale"] = campaign.scale_answer
            channel = rng.choices((Channel.EMAIL, Channel.ONLINE, Channel.POST), (6, 3, 1))[0]
            role = rng.choice(INDIVIDUAL_ROLES)
            drafts.append(
                (
                    channel,
                    RespondentType.INDIVIDUAL,
                    role,
                    answers,
                    themes,
                    campaign.stance,
                    campaign.key,
                )
            )
    while len(drafts) < responses:
        organisation = rng.random() < 0.18
        stance = rng.choices(("agree", "disagree", "unclear"), (0.45, 0.35, 0.2))[0]
        answers = gen.organic_closed(stance, organisation)
        themes = {}
        for question_id, probability in ANSWER_PROBABILITY.items():
            if rng.random() < probability:
                text, labels = gen.organic_answer(
                    question_id, stance if question_id == "q_proposal_explain" else None
                )
                answers[question_id] = text
                themes[question_id] = labels
        channel = rng.choices(
            (Channel.ONLINE, Channel.EMAIL, Channel.POST, Channel.IMPORT), (80, 10, 5, 5)
        )[0]
        kind = RespondentType.ORGANISATION if organisation else RespondentType.INDIVIDUAL
        role = rng.choice(ORGANISATION_ROLES if organisation else INDIVIDUAL_ROLES)
        drafts.append((channel, kind, role, answers, themes, stance, None))
    drafts = drafts[:responses]
    rng.shuffle(drafts)
    built: list[ResponseInput] = []
    truth_themes: dict[str, dict[str, frozenset[str]]] = {q: {} for q in QUESTION_THEME_WEIGHTS}
    campaign_of: dict[str, str] = {}
    stances: dict[str, Stance] = {}
    for index, (channel, kind, role, answers, themes, stance, campaign_key) in enumerate(drafts):
        response_id = f"r{index + 1:06d}"
        built.append(
            ResponseInput(
                id=response_id,
                channel=channel,
                respondent_type=kind,
                role=role,
                region=rng.choice(REGIONS),
                answers=answers,
            )
        )
        for question_id, labels in themes.items():
            truth_themes[question_id][response_id] = labels
        if campaign_key is not None:
            campaign_of[response_id] = campaign_key
        stances[response_id] = Stance(stance)
    catalogue = {
        q: tuple(_planted(key) for key in weights) for q, weights in QUESTION_THEME_WEIGHTS.items()
    }
    truth = GroundTruth(
        campaign_of=campaign_of, themes=truth_themes, stance=stances, catalogue=catalogue
    )
    return SyntheticConsultation(questions=QUESTIONS, responses=tuple(built), truth=truth)


def _planted(key: str) -> PlantedTheme:
    spec = THEMES[key]
    return PlantedTheme(
        key=key,
        label=str(spec["label"]),
        description=str(spec["description"]),
        seed_terms=cast(tuple[str, ...], spec["seed_terms"]),
    )
