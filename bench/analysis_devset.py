"""The labelled development set in ``../shared/data/analysis/`` (see its README), read into the
engine's input types.

The set holds 1,000 LLM-generated answers (i.AI's themefinder evaluations, MIT licence) to one
question on gambling advertising, each labelled with any of 12 themes (letters A–L, grouped by
position) and a position (``Yes``: for the ban, ``No``: against it).
"""

from __future__ import annotations

import ast
import csv
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from moot.analysis.engine import NewTheme, QuestionKind, QuestionSpec, ResponseInput, Stance

REPOSITORY = Path(__file__).resolve().parents[1]
QUESTION_ID = "q_gambling_ads"
POSITION_STANCE = {"Yes": Stance.AGREE, "No": Stance.DISAGREE}


@dataclass(frozen=True, kw_only=True)
class DevSet:
    question: QuestionSpec
    responses: tuple[ResponseInput, ...]
    themes: tuple[NewTheme, ...]  # the analyst's themes, one per letter
    labels: dict[str, frozenset[str]]  # response id -> theme ids
    stances: dict[str, Stance]  # response id -> stance


def data_folder() -> Path | None:
    """``../shared/data/analysis`` beside the checkout (or beside the folder of worktrees it is
    in; ``MOOT_SHARED_DATA`` overrides), or None when it is absent."""
    roots = [REPOSITORY.parent / "shared" / "data", REPOSITORY.parent.parent / "shared" / "data"]
    if os.environ.get("MOOT_SHARED_DATA"):
        roots.insert(0, Path(os.environ["MOOT_SHARED_DATA"]))
    for root in roots:
        if (root / "analysis" / "eval_sentiments.csv").is_file():
            return root / "analysis"
    return None


def theme_id(letter: str) -> str:
    return f"analyst:{letter}"


def _parse_topics(raw: str) -> list[dict[str, object]]:
    # the column holds a printed array of dicts: "[{...}\n {...}]" (no commas between them)
    fixed = re.sub(r"\}\s*\n\s*\{", "}, {", raw.strip())
    value = ast.literal_eval(fixed)
    return list(value) if isinstance(value, list | tuple) else [value]


def load_devset(folder: Path) -> DevSet:
    question_text = (folder / "expanded_question.txt").read_text(encoding="utf-8").strip()
    framework = json.loads((folder / "framework_themes.json").read_text(encoding="utf-8"))
    themes: list[NewTheme] = []
    for position in framework.values():
        for letter, entry in sorted(position.items()):
            first = entry["topics"][0]
            # what an analyst writes down: a short label and one sentence describing it
            themes.append(
                NewTheme(
                    theme_id=theme_id(letter),
                    label=str(first["topic_name"]),
                    description=str(first["rationale"]),
                )
            )
    responses: list[ResponseInput] = []
    labels: dict[str, frozenset[str]] = {}
    stances: dict[str, Stance] = {}
    with (folder / "eval_sentiments.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            response_id = f"r{row['response_id']}"
            letters = set()
            for block in _parse_topics(row["target_topics"]):
                for letter, value in block.items():
                    if value is not None:
                        letters.add(letter)
            responses.append(ResponseInput(id=response_id, answers={QUESTION_ID: row["response"]}))
            labels[response_id] = frozenset(theme_id(letter) for letter in letters)
            stances[response_id] = POSITION_STANCE[row["position"].strip()]
    question = QuestionSpec(
        id=QUESTION_ID, kind=QuestionKind.FREE_TEXT, text=question_text, asks_agreement=True
    )
    return DevSet(
        question=question,
        responses=tuple(responses),
        themes=tuple(themes),
        labels=labels,
        stances=stances,
    )
