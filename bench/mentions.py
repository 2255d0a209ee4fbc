"""Benchmark: precision and recall of the mention finder on a hand-labelled set.

    python bench/mentions.py            # needs ../shared/data/parlparse for the real texts
    python bench/mentions.py --verbose  # and every wrong or missed link

The set is ``bench/mentions_labelled.json``: a catalogue of what moot is taken to hold (the
demo's seed documents and consultation, a few real publications the real answers name,
and distractors: documents whose titles the answers use as everyday words, or whose
address is next to one an answer gives), and texts with the mentions a reader would say
they make. The texts are the demo's seed pages and illustrative answers, and every
written question and answer in the real ParlParse files (House of Commons 27 October 2009,
latest version; House of Lords 26 October 2009): the labelled ones by id, every other one
labelled as naming nothing the catalogue holds.

It runs, in the same run, moot's finder (``moot.policy.finder``, what the site runs) and a
baseline: every title and short name matched anywhere, ignoring case, and every address
that starts with a held one. Mentions are compared as (words, target); precision is the
share of links made that are right, recall the share of labelled mentions linked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
LABELS = REPOSITORY / "bench" / "mentions_labelled.json"
PARLPARSE = REPOSITORY.parent.parent / "shared" / "data" / "parlparse" / "scrapedxml"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moot.settings")
    sys.path.insert(0, str(REPOSITORY / "src"))
    import django

    django.setup()


def _real_texts(folder: Path) -> dict[str, tuple[str, dt.date]]:
    from moot.core.html import sanitise_html
    from moot.parliament.importers.parlparse import QuestionGroup, find_files, read_file
    from moot.policy.text import html_text, question_text

    latest: dict[tuple[object, str], object] = {}
    for source in find_files([folder]):
        latest[(source.date, source.house)] = source  # read oldest version first: keep newest
    texts: dict[str, tuple[str, dt.date]] = {}
    for source in latest.values():
        _header, records = read_file(source)  # type: ignore[arg-type]
        for record in records:
            if not isinstance(record, QuestionGroup):
                continue
            for question in record.questions:
                texts[question.gid] = (question_text(question.text), record.date)
            for answer in record.answers:
                texts[answer.gid] = (html_text(sanitise_html(answer.body_html)), record.date)
    return texts


def _catalogue(entries: list[dict]) -> object:
    from moot.policy.finder import Catalogue, Target

    return Catalogue(
        [
            Target(
                key=entry["key"],
                titles=tuple(entry["titles"]),
                short_names=tuple(entry.get("short_names", ())),
                urls=tuple(entry.get("urls", ())),
                years=frozenset(entry.get("years", ())),
                available_on=dt.date.fromisoformat(entry["available_on"])
                if entry.get("available_on")
                else None,
                parent_key=entry.get("parent_key", ""),
            )
            for entry in entries
        ]
    )


def _baseline(entries: list[dict]):  # type: ignore[no-untyped-def]
    """Every name anywhere, ignoring case; every address starting with a held one."""
    from moot.policy.finder import url_key

    names = [
        (re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE), entry["key"])
        for entry in entries
        for name in [*entry["titles"], *entry.get("short_names", ())]
    ]
    urls = [(url_key(url), entry["key"]) for entry in entries for url in entry.get("urls", ())]
    address = re.compile(r"(?:https?://|www\.)[^\s<>\"'()]+", re.IGNORECASE)

    def find(text: str) -> list[tuple[str, str]]:
        found = [(m.group(), key) for pattern, key in names for m in pattern.finditer(text)]
        for m in address.finditer(text):
            raw = m.group().rstrip(".,;:")
            found += [(raw, key) for prefix, key in urls if url_key(raw).startswith(prefix)]
        return found

    return find


def _score(
    results: dict[str, list[tuple[str, str]]], expected: dict[str, list[tuple[str, str]]]
) -> tuple[int, int, int, list[str]]:
    right = wrong = missed = 0
    notes = []
    for text_id in expected:
        want = Counter((words.lower(), key) for words, key in expected[text_id])
        got = Counter((words.lower(), key) for words, key in results.get(text_id, []))
        hits = want & got
        right += sum(hits.values())
        for (words, key), count in (got - hits).items():
            wrong += count
            notes.append(f"  wrong  {text_id}: “{words}” → {key}")
        for (words, key), count in (want - hits).items():
            missed += count
            notes.append(f"  missed {text_id}: “{words}” → {key}")
    return right, wrong, missed, notes


def _report(name: str, right: int, wrong: int, missed: int) -> str:
    precision = right / (right + wrong) if right + wrong else 1.0
    recall = right / (right + missed) if right + missed else 1.0
    return (
        f"{name:<28} precision {precision:6.1%} ({right}/{right + wrong})   "
        f"recall {recall:6.1%} ({right}/{right + missed})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--parlparse", type=Path, default=PARLPARSE)
    arguments = parser.parse_args()
    _setup()
    labels = json.loads(LABELS.read_text())
    catalogue = _catalogue(labels["catalogue"])
    baseline = _baseline(labels["catalogue"])

    texts: dict[str, tuple[str, dt.date]] = {}
    expected: dict[str, list[tuple[str, str]]] = {}
    if arguments.parlparse.is_dir():
        real = _real_texts(arguments.parlparse)
        for gid, value in real.items():
            texts[f"parlparse:{gid}"] = value
            expected[f"parlparse:{gid}"] = []
    else:
        print(f"No ParlParse files at {arguments.parlparse}: the real texts are left out.\n")
    for item in labels["texts"]:
        if item["id"].startswith("parlparse:") and item["id"] not in texts:
            continue
        if "text" in item:
            texts[item["id"]] = (item["text"], dt.date.fromisoformat(item["date"]))
        expected[item["id"]] = [tuple(pair) for pair in item["expected"]]  # type: ignore[misc]

    characters = sum(len(text) for text, _ in texts.values())
    started = time.perf_counter()
    ours = {
        text_id: [(f.text, f.target_key) for f in catalogue.find(text, on=day)]  # type: ignore[attr-defined]
        for text_id, (text, day) in texts.items()
    }
    ours_seconds = time.perf_counter() - started
    started = time.perf_counter()
    theirs = {text_id: baseline(text) for text_id, (text, _) in texts.items()}
    baseline_seconds = time.perf_counter() - started

    groups = {
        "demo texts": [t for t in expected if t.startswith("demo:")],
        "real ParlParse texts": [t for t in expected if t.startswith("parlparse:")],
    }
    labelled = sum(len(v) for v in expected.values())
    print(
        f"{len(texts)} texts ({characters:,} characters), {labelled} labelled mentions, "
        f"{len(labels['catalogue'])} documents and consultations held\n"
    )
    for finder_name, results in (
        ("moot's finder", ours),
        ("baseline (any name, any case)", theirs),
    ):
        print(finder_name)
        notes_all = []
        for group, ids in [("all", list(expected)), *groups.items()]:
            right, wrong, missed, notes = _score(results, {t: expected[t] for t in ids})
            print("  " + _report(group, right, wrong, missed))
            if group == "all":
                notes_all = notes
        if arguments.verbose:
            print("\n".join(notes_all))
        print()
    print(
        f"speed: moot's finder {characters / ours_seconds / 1e6:.2f} M characters/s, "
        f"baseline {characters / baseline_seconds / 1e6:.2f} M characters/s "
        f"({len(labels['catalogue'])} held; the baseline's time grows with the catalogue, "
        "the finder's with the text)"
    )


if __name__ == "__main__":
    main()
