"""The hand-labelled set of bench/mentions.py as a guard: the finder links nothing there
that a reader would not (every wrong link is a failure), and finds what it found when the
set was written. The figures themselves are the benchmark's to print."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from moot.core.html import sanitise_html
from moot.parliament.importers.parlparse import QuestionGroup, find_files, read_file
from moot.policy.finder import Catalogue, Target
from moot.policy.text import html_text, question_text

REPOSITORY = Path(__file__).resolve().parents[2]
LABELS = json.loads((REPOSITORY / "bench" / "mentions_labelled.json").read_text())
PARLPARSE = REPOSITORY.parent.parent / "shared" / "data" / "parlparse" / "scrapedxml"
CATALOGUE = Catalogue(
    [
        Target(
            key=entry["key"],
            titles=tuple(entry["titles"]),
            short_names=tuple(entry.get("short_names", ())),
            urls=tuple(entry.get("urls", ())),
            years=frozenset(entry.get("years", ())),
            available_on=dt.date.fromisoformat(entry["available_on"]),
            parent_key=entry.get("parent_key", ""),
        )
        for entry in LABELS["catalogue"]
    ]
)


def _found(text: str, day: dt.date) -> Counter[tuple[str, str]]:
    return Counter((f.text.lower(), f.target_key) for f in CATALOGUE.find(text, on=day))


def _expected(item: dict) -> Counter[tuple[str, str]]:
    return Counter((words.lower(), key) for words, key in item["expected"])


def test_the_demo_texts_get_no_wrong_link() -> None:
    right = 0
    for item in LABELS["texts"]:
        if "text" not in item:
            continue
        found = _found(item["text"], dt.date.fromisoformat(item["date"]))
        assert found - _expected(item) == Counter(), item["id"]
        right += sum((found & _expected(item)).values())
    assert right == 8


def test_the_real_answers_get_no_wrong_link() -> None:
    if not PARLPARSE.is_dir():
        pytest.skip(f"the real ParlParse files are not at {PARLPARSE}")
    labelled = {item["id"]: item for item in LABELS["texts"]}
    latest = {}
    for source in find_files([PARLPARSE]):
        latest[(source.date, source.house)] = source
    right = records = 0
    for source in latest.values():
        _, parsed = read_file(source)
        for group in parsed:
            if not isinstance(group, QuestionGroup):
                continue
            texts = [(q.gid, question_text(q.text)) for q in group.questions]
            texts += [(a.gid, html_text(sanitise_html(a.body_html))) for a in group.answers]
            for gid, text in texts:
                records += 1
                item = labelled.get(f"parlparse:{gid}", {"expected": []})
                found = _found(text, group.date)
                assert found - _expected(item) == Counter(), gid
                right += sum((found & _expected(item)).values())
    assert records > 600
    assert right == 9
