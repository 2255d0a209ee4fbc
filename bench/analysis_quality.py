"""Quality of theme assignment and stance on the labelled development set.

    PYTHONPATH=src python bench/analysis_quality.py [--draws D] [--baseline-ref REF]

Reads ``../shared/data/analysis/`` (see ``../shared/data/README.md``; the answers are
LLM-generated, from i.AI's themefinder evaluations, not real respondents) and skips with a
reason when it is absent. The analyst's 12 themes (one label and one sentence each) replace the
engine's discovered ones; then, for 0, 20, 50 and 200 hand-coded answers (random draws, and the
engine's own coding suggestions taken in rounds, i.e. active learning), it scores the answers
that were *not* coded: samples-averaged F1 (scikit-learn ``average="samples"``) and micro F1
of the themes, stance accuracy and macro F1 beside always answering the most common stance.
The same is measured, in the same run, for the engine as it was at ``--baseline-ref`` (the
word-count engine), read from git into a temporary folder. Never asserts. See
``bench/analysis.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis_devset import DevSet, data_folder, load_devset
from moot.analysis.engine import (
    AddTheme,
    AnalysisParams,
    AnalystState,
    DeleteTheme,
    Stance,
    StanceCoding,
    ThemeCoding,
    run_analysis,
)

REPOSITORY = Path(__file__).resolve().parents[1]
BASELINE_REF = "99ca66d"  # main before sentence embeddings: the word-count engine
CODED_COUNTS = (0, 20, 50, 200)
ACTIVE_STEPS = (10, 20, 35, 50, 100, 150, 200)


def _analyst_edits(dev: DevSet, discovered: Sequence[str]) -> tuple[Any, ...]:
    deletes = tuple(DeleteTheme(theme_id=t) for t in discovered)
    return deletes + tuple(AddTheme(theme=theme) for theme in dev.themes)


def _run(dev: DevSet, edits: tuple[Any, ...], coded: Sequence[str], seed: int) -> Any:
    state = AnalystState(
        theme_edits={dev.question.id: edits},
        codings=tuple(
            ThemeCoding(question_id=dev.question.id, response_id=r, theme_ids=dev.labels[r])
            for r in coded
        ),
        stance_codings=tuple(
            StanceCoding(question_id=dev.question.id, response_id=r, stance=dev.stances[r])
            for r in coded
        ),
    )
    return run_analysis(
        questions=[dev.question],
        responses=dev.responses,
        analyst_state=state,
        params=AnalysisParams(seed=seed),
    )


def _scores(dev: DevSet, result: Any, coded: Sequence[str]) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    question = result.free_text_questions[dev.question.id]
    theme_ids = [t.theme_id for t in dev.themes]
    predicted = {a.response_id: set(a.themes) for a in question.assignments}
    skip = set(coded)
    rows = [r.id for r in dev.responses if r.id not in skip]
    truth = np.array([[t in dev.labels[r] for t in theme_ids] for r in rows])
    guess = np.array([[t in predicted.get(r, ()) for t in theme_ids] for r in rows])
    scores = {
        "samples_f1": float(f1_score(truth, guess, average="samples", zero_division=0)),
        "micro_f1": float(f1_score(truth, guess, average="micro", zero_division=0)),
        "micro_precision": float((truth & guess).sum() / guess.sum() if guess.sum() else 0.0),
        "micro_recall": float((truth & guess).sum() / truth.sum() if truth.sum() else 0.0),
        "no_theme": float((~guess.any(axis=1)).mean()),
    }
    if question.stance is not None:
        stance = {a.response_id: a.stance.value for a in question.stance.assignments}
        true_stance = [dev.stances[r].value for r in rows]
        said = [stance.get(r, Stance.UNCLEAR.value) for r in rows]
        labels = [Stance.AGREE.value, Stance.DISAGREE.value]
        majority = max(set(true_stance), key=true_stance.count)
        always = [majority] * len(rows)
        scores |= {
            "stance_accuracy": float(accuracy_score(true_stance, said)),
            "stance_macro_f1": float(
                f1_score(true_stance, said, labels=labels, average="macro", zero_division=0)
            ),
            "stance_unclear": float(np.mean([s == Stance.UNCLEAR.value for s in said])),
            "majority_accuracy": float(accuracy_score(true_stance, always)),
            "majority_macro_f1": float(
                f1_score(true_stance, always, labels=labels, average="macro", zero_division=0)
            ),
        }
    return scores


def measure(draws: int, active: bool) -> dict[str, Any]:
    """Every figure for the engine importable as ``moot.analysis.engine``."""
    folder = data_folder()
    assert folder is not None
    dev = load_devset(folder)
    started = time.perf_counter()
    first = run_analysis(questions=[dev.question], responses=dev.responses)
    discovered = [t.id for t in first.free_text_questions[dev.question.id].themes]
    edits = _analyst_edits(dev, discovered)
    ids = [r.id for r in dev.responses]
    random_runs: dict[str, list[dict[str, float]]] = {}
    for count in CODED_COUNTS:
        for draw in range(draws if count else 1):
            rng = np.random.default_rng(1000 + draw)
            coded = [ids[i] for i in rng.choice(len(ids), size=count, replace=False)]
            random_runs.setdefault(str(count), []).append(
                _scores(dev, _run(dev, edits, coded, seed=draw), coded)
            )
    active_runs: dict[str, list[dict[str, float]]] = {}
    if active:
        for draw in range(draws):
            coded: list[str] = []
            result = _run(dev, edits, coded, seed=draw)
            for step in ACTIVE_STEPS:
                suggestions = result.free_text_questions[dev.question.id].coding_suggestions
                fresh = [r for r in suggestions if r not in coded]
                coded = coded + fresh[: step - len(coded)]
                result = _run(dev, edits, coded, seed=draw)
                if step in CODED_COUNTS:
                    active_runs.setdefault(str(step), []).append(_scores(dev, result, coded))
    return {
        "random": random_runs,
        "active": active_runs,
        "wall_s": round(time.perf_counter() - started, 1),
        "answers": len(ids),
    }


def _baseline_tree(ref: str, into: Path) -> Path | None:
    """The engine at ``ref`` unpacked from git (``src/`` only), or None without git history."""
    archive = into / "engine.tar"
    done = subprocess.run(
        ["git", "archive", "--format=tar", f"--output={archive}", ref, "src"],
        cwd=REPOSITORY,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _in_subprocess(src: Path, draws: int, active: bool) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--worker", "--draws", str(draws)]
    if not active:
        command.append("--no-active")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _mean_sd(runs: list[dict[str, float]], key: str) -> str:
    values = [r[key] for r in runs if key in r]
    if not values:
        return "—"
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{np.mean(values):.3f} ± {np.std(values):.3f}"


def _print(name: str, figures: dict[str, Any]) -> None:
    print(f"\n[{name}] {figures['answers']} answers, {figures['wall_s']} s")
    header = (
        f"  {'coding':<16}{'samples F1':>16}{'micro F1':>16}{'precision':>16}{'recall':>16}"
        f"{'no theme':>16}{'stance acc':>16}{'stance macroF1':>16}{'unclear':>16}"
    )
    print(header)
    for kind in ("random", "active"):
        for count, runs in figures[kind].items():
            label = f"{count} {kind}" if count != "0" else "0 (none)"
            if kind == "active" and count == "0":
                continue
            print(
                f"  {label:<16}{_mean_sd(runs, 'samples_f1'):>16}{_mean_sd(runs, 'micro_f1'):>16}"
                f"{_mean_sd(runs, 'micro_precision'):>16}{_mean_sd(runs, 'micro_recall'):>16}"
                f"{_mean_sd(runs, 'no_theme'):>16}{_mean_sd(runs, 'stance_accuracy'):>16}"
                f"{_mean_sd(runs, 'stance_macro_f1'):>16}{_mean_sd(runs, 'stance_unclear'):>16}"
            )
    base = figures["random"]["0"][0]
    if "majority_accuracy" in base:
        print(
            f"  always the majority stance: accuracy {base['majority_accuracy']:.3f}, "
            f"macro F1 {base['majority_macro_f1']:.3f}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--baseline-ref", default=BASELINE_REF)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-active", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if data_folder() is None:
        print(
            "skipped: the labelled development set ../shared/data/analysis/ is absent "
            "(set MOOT_SHARED_DATA to the folder holding analysis/)"
        )
        return 0
    if args.worker:
        print(json.dumps(measure(args.draws, not args.no_active)))
        return 0
    print(
        f"moot analysis quality: development set {data_folder()} (LLM-generated answers, i.AI "
        f"themefinder evaluations), {args.draws} draws, {os.cpu_count()} CPUs"
    )
    print("figures on answers not coded; mean ± sd over draws")
    _print("engine (sentence embeddings)", measure(args.draws, not args.no_active))
    print(
        "\nevidence flags: not scored here: the development set has no evidence labels "
        "(see bench/analysis.md for the synthetic check)"
    )
    if not args.no_baseline:
        with tempfile.TemporaryDirectory() as folder:
            src = _baseline_tree(args.baseline_ref, Path(folder))
            if src is None:
                print(f"\n[baseline] skipped: git cannot read {args.baseline_ref!r}")
            else:
                figures = _in_subprocess(src, args.draws, active=not args.no_active)
                _print(f"word-count engine at {args.baseline_ref}", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
