"""Benchmark of moot's analysis engine on a labelled synthetic consultation.

    PYTHONPATH=src python bench/analysis.py [--responses N] [--seed S] [--baseline-size K]

Each stage runs in its own subprocess so that its wall time, CPU time and peak memory are its
own. Prints figures beside their targets; never asserts. See bench/analysis.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from moot.analysis.engine import (
    AddTheme,
    AnalysisParams,
    AnalysisResult,
    AnalystState,
    CampaignMatcher,
    DeleteTheme,
    MergeThemes,
    NewTheme,
    RenameTheme,
    ThemeCoding,
    ThemeEdit,
    detect_campaigns,
    run_analysis,
)
from moot.analysis.engine.campaigns import combined_text, free_text_question_ids
from moot.analysis.engine.evaluation import multilabel_scores, pair_scores
from moot.analysis.engine.synthetic import SyntheticConsultation, generate_consultation

OUT = Path(__file__).resolve().parent / "out"
STAGES = ("generate", "campaigns", "matcher", "baseline", "analysis_first", "analysis_coded")


def _mb(value: float) -> float:
    return round(value / 1024, 1)  # ru_maxrss is in KiB on Linux


class Timed:
    """Wall and CPU time of a block, and the process's RSS before and peak after it."""

    def __enter__(self) -> Timed:
        self.rss_before = psutil.Process().memory_info().rss / 1024 / 1024
        self.cpu = time.process_time()
        self.wall = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.worker_cpu = children.ru_utime + children.ru_stime
        self.worker_peak = _mb(children.ru_maxrss)
        self.peak = _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

    def figures(self) -> dict[str, float]:
        return {
            "wall_s": round(self.wall, 2),
            "cpu_s": round(self.cpu + self.worker_cpu, 2),
            "rss_before_mb": round(self.rss_before, 1),
            "peak_rss_mb": self.peak,
            "worker_peak_rss_mb": self.worker_peak,
        }


def simulated_analyst(
    consultation: SyntheticConsultation, first: AnalysisResult, coded_per_question: int
) -> tuple[AnalystState, dict[str, dict[str, str]]]:
    """An analyst who maps discovered themes onto the planted ones (rename, merge, delete,
    add what is missing) and hand-codes the engine's first suggestions per question."""
    edits: dict[str, tuple[ThemeEdit, ...]] = {}
    codings: list[ThemeCoding] = []
    back: dict[str, dict[str, str]] = {}
    for question_id, question in first.free_text_questions.items():
        truth = consultation.truth.themes[question_id]
        planted = {
            p.key: {r for r, labels in truth.items() if p.key in labels}
            for p in consultation.truth.catalogue[question_id]
        }
        members: dict[str, set[str]] = {}
        for assignment in question.assignments:
            for theme_id in assignment.themes:
                members.setdefault(theme_id, set()).add(assignment.response_id)
        mapped: dict[str, list[str]] = {}
        question_edits: list[ThemeEdit] = []
        for theme in question.themes:
            found = members.get(theme.id, set())
            scores = {k: len(found & s) / max(1, len(found | s)) for k, s in planted.items()}
            best = max(scores, key=lambda k: scores[k])
            if scores[best] >= 0.3:
                mapped.setdefault(best, []).append(theme.id)
            else:
                question_edits.append(DeleteTheme(theme_id=theme.id))
        key_to_id: dict[str, str] = {}
        for spec in consultation.truth.catalogue[question_id]:
            ids = mapped.get(spec.key, [])
            if not ids:
                key_to_id[spec.key] = f"{question_id}:{spec.key}"
                question_edits.append(
                    AddTheme(
                        theme=NewTheme(
                            theme_id=key_to_id[spec.key],
                            label=spec.label,
                            description=spec.description,
                            seed_terms=spec.seed_terms,
                        )
                    )
                )
            elif len(ids) == 1:
                key_to_id[spec.key] = ids[0]
                question_edits.append(RenameTheme(theme_id=ids[0], label=spec.label))
            else:
                key_to_id[spec.key] = ids[0]
                question_edits.append(
                    MergeThemes(
                        source_theme_ids=tuple(ids[1:]), target_theme_id=ids[0], label=spec.label
                    )
                )
        edits[question_id] = tuple(question_edits)
        back[question_id] = {v: k for k, v in key_to_id.items()}
        for response_id in question.coding_suggestions[:coded_per_question]:
            codings.append(
                ThemeCoding(
                    question_id=question_id,
                    response_id=response_id,
                    theme_ids=frozenset(key_to_id[k] for k in truth.get(response_id, ())),
                )
            )
    return AnalystState(theme_edits=edits, codings=tuple(codings)), back


def _first_path(args: argparse.Namespace) -> Path:
    return OUT / f"analysis-first-{args.responses}-{args.seed}.json"


def stage_generate(args: argparse.Namespace) -> dict[str, Any]:
    with Timed() as timed:
        consultation = generate_consultation(responses=args.responses, seed=args.seed)
    return {**timed.figures(), "campaign_members": len(consultation.truth.campaign_of)}


def stage_campaigns(args: argparse.Namespace) -> dict[str, Any]:
    consultation = generate_consultation(responses=args.responses, seed=args.seed)
    params = AnalysisParams(seed=args.seed)
    with Timed() as timed:
        report = detect_campaigns(
            questions=consultation.questions, responses=consultation.responses, params=params
        )
    scores = pair_scores(report.campaign_of(), consultation.truth.campaign_of)
    return {
        **timed.figures(),
        "precision": scores.precision,
        "recall": scores.recall,
        "f1": scores.f1,
        "campaigns_found": len(report.campaigns),
        "campaigns_planted": len(set(consultation.truth.campaign_of.values())),
        "campaign_responses": report.campaign_response_count,
        "distinct_submissions": report.distinct_submission_count,
    }


def stage_matcher(args: argparse.Namespace) -> dict[str, Any]:
    consultation = generate_consultation(responses=args.responses, seed=args.seed)
    params = AnalysisParams(seed=args.seed)
    report = detect_campaigns(
        questions=consultation.questions, responses=consultation.responses, params=params
    )
    with Timed() as build:
        matcher = CampaignMatcher(
            campaigns=report.campaigns, question_ids=report.question_ids, params=params
        )
    batch = report.campaign_of()
    sample = consultation.responses[: args.matcher_queries]
    # a web process checking a new response holds the matcher, not 100k responses: drop the
    # rest so that garbage collection of the batch data does not land inside the timings
    del consultation, report
    gc.collect()
    gc.freeze()
    times = []
    cpu_times = []
    agree = 0
    for response in sample:
        cpu_start = time.thread_time()
        start = time.perf_counter()
        match = matcher.match(answers=response.answers)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.thread_time() - cpu_start)
        agree += (match.campaign_id if match else None) == batch.get(response.id)
    cpu_millis = np.array(cpu_times) * 1000
    millis = np.array(times) * 1000
    return {
        "queries": len(sample),
        "build_s": round(build.wall, 3),
        "p50_ms": round(float(np.percentile(millis, 50)), 3),
        "p95_ms": round(float(np.percentile(millis, 95)), 3),
        "max_ms": round(float(millis.max()), 3),
        "cpu_p50_ms": round(float(np.percentile(cpu_millis, 50)), 3),
        "cpu_p95_ms": round(float(np.percentile(cpu_millis, 95)), 3),
        "agreement_with_batch": agree / max(1, len(sample)),
        "members_in_sample": sum(1 for r in sample if r.id in batch),
    }


def stage_baseline(args: argparse.Namespace) -> dict[str, Any]:
    from rapidfuzz import fuzz, process  # bench-only dependency

    consultation = generate_consultation(responses=args.responses, seed=args.seed)
    subset = consultation.responses[: args.baseline_size]
    campaign_of = consultation.truth.campaign_of
    truth = {r.id: campaign_of[r.id] for r in subset if r.id in campaign_of}
    params = AnalysisParams(seed=args.seed)
    with Timed() as engine_time:
        report = detect_campaigns(questions=consultation.questions, responses=subset, params=params)
    engine_scores = pair_scores(report.campaign_of(), truth)
    question_ids = free_text_question_ids(consultation.questions)
    texts = [
        combined_text({q: r.free_text(q) for q in question_ids}, question_ids).lower()
        for r in subset
    ]
    cutoff = 80
    with Timed() as baseline_time:
        matrix = process.cdist(
            texts, texts, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8, workers=2
        )
    rows, cols = np.nonzero(matrix >= cutoff)
    parent = list(range(len(subset)))

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for a, b in zip(rows.tolist(), cols.tolist(), strict=True):
        if a < b and len(texts[a]) > 50:
            parent[find(a)] = find(b)
    groups: dict[int, list[str]] = {}
    for index, response in enumerate(subset):
        groups.setdefault(find(index), []).append(response.id)
    predicted = {
        r: str(root)
        for root, ids in groups.items()
        if len(ids) >= params.min_campaign_size
        for r in ids
    }
    baseline_scores = pair_scores(predicted, truth)
    return {
        "size": len(subset),
        "engine_wall_s": round(engine_time.wall, 3),
        "engine_precision": engine_scores.precision,
        "engine_recall": engine_scores.recall,
        "baseline_wall_s": round(baseline_time.wall, 2),
        "baseline_cpu_s": round(baseline_time.cpu, 2),
        "baseline_precision": baseline_scores.precision,
        "baseline_recall": baseline_scores.recall,
        "speedup": round(baseline_time.wall / max(engine_time.wall, 1e-9), 1),
    }


def stage_analysis_first(args: argparse.Namespace) -> dict[str, Any]:
    consultation = generate_consultation(responses=args.responses, seed=args.seed)
    with Timed() as timed:
        result = run_analysis(
            questions=consultation.questions,
            responses=consultation.responses,
            params=AnalysisParams(seed=args.seed),
            workers=args.workers,
        )
    with Timed() as serialise:
        text = json.dumps(result.to_dict())
    OUT.mkdir(parents=True, exist_ok=True)
    _first_path(args).write_text(text)
    return {
        **timed.figures(),
        "json_mb": round(len(text) / 1e6, 1),
        "to_json_s": round(serialise.wall, 2),
        "themes": {q: len(r.themes) for q, r in result.free_text_questions.items()},
    }


def stage_analysis_coded(args: argparse.Namespace) -> dict[str, Any]:
    consultation = generate_consultation(responses=args.responses, seed=args.seed)
    first = AnalysisResult.from_dict(json.loads(_first_path(args).read_text()))
    state, back = simulated_analyst(consultation, first, args.coded)
    with Timed() as timed:
        result = run_analysis(
            questions=consultation.questions,
            responses=consultation.responses,
            analyst_state=state,
            params=AnalysisParams(seed=args.seed),
            previous=first,
            workers=args.workers,
        )
    coded = {(c.question_id, c.response_id) for c in state.codings}
    members = consultation.truth.campaign_of
    quality: dict[str, Any] = {}
    for question_id, question in result.free_text_questions.items():
        mapping = back[question_id]
        predicted = {
            a.response_id: {mapping.get(t, t) for t in a.themes} for a in question.assignments
        }
        truth = consultation.truth.themes[question_id]
        items = [r for r in truth if (question_id, r) not in coded]
        micro, per_theme = multilabel_scores(predicted, truth, items=items)
        outside, _ = multilabel_scores(
            predicted, truth, items=[r for r in items if r not in members]
        )
        quality[question_id] = {
            "micro_f1": round(micro.f1, 4),
            "micro_precision": round(micro.precision, 4),
            "micro_recall": round(micro.recall, 4),
            "non_campaign_micro_f1": round(outside.f1, 4),
            "per_theme_f1": {k: round(v.f1, 4) for k, v in per_theme.items()},
            "models": sorted({t.model for t in question.themes}),
        }
        if question.stance is not None:
            by_source: dict[str, list[bool]] = {}
            for a in question.stance.assignments:
                by_source.setdefault(a.source, []).append(
                    a.stance is consultation.truth.stance[a.response_id]
                )
            quality[question_id]["stance_accuracy"] = {
                source: round(sum(v) / len(v), 4) for source, v in sorted(by_source.items())
            }
    all_items = [
        (q, r) for q, t in consultation.truth.themes.items() for r in t if (q, r) not in coded
    ]
    total = {"tp": 0, "fp": 0, "fn": 0}
    for question_id, question in result.free_text_questions.items():
        mapping = back[question_id]
        predicted = {
            a.response_id: {mapping.get(t, t) for t in a.themes} for a in question.assignments
        }
        micro, _ = multilabel_scores(
            predicted,
            consultation.truth.themes[question_id],
            items=[r for q, r in all_items if q == question_id],
        )
        total["tp"] += micro.true_positives
        total["fp"] += micro.false_positives
        total["fn"] += micro.false_negatives
    overall = 2 * total["tp"] / max(1, 2 * total["tp"] + total["fp"] + total["fn"])
    return {
        **timed.figures(),
        "coded_per_question": args.coded,
        "overall_micro_f1": round(overall, 4),
        "questions": quality,
        "warnings": list(result.warnings),
    }


STAGE_FUNCTIONS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "generate": stage_generate,
    "campaigns": stage_campaigns,
    "matcher": stage_matcher,
    "baseline": stage_baseline,
    "analysis_first": stage_analysis_first,
    "analysis_coded": stage_analysis_coded,
}


def _ratio_at_least(value: float, target: float) -> str:
    return f"{value:.4f}  (target >= {target}: {value / target:.3f}x)"


def _ratio_below(value: float, target: float, unit: str) -> str:
    return f"{value:.2f} {unit}  (target < {target} {unit}: {value / target:.2f} of budget)"


def report(args: argparse.Namespace, results: dict[str, dict[str, Any]]) -> None:
    print(
        f"\nmoot analysis engine benchmark: {args.responses} responses, seed {args.seed}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end"
    )
    gen = results.get("generate")
    if gen:
        print(
            f"\n[generate] synthetic consultation: {gen['wall_s']} s wall, "
            f"{gen['peak_rss_mb']} MB peak RSS, {gen['campaign_members']} campaign members"
        )
    camp = results.get("campaigns")
    if camp:
        print("\n[campaigns] detection on all responses")
        print("  pair precision  " + _ratio_at_least(camp["precision"], 0.99))
        print("  pair recall     " + _ratio_at_least(camp["recall"], 0.99))
        print("  pair F1         " + _ratio_at_least(camp["f1"], 0.99))
        print(
            f"  campaigns found {camp['campaigns_found']} (planted {camp['campaigns_planted']}), "
            f"campaign responses {camp['campaign_responses']}, "
            f"distinct submissions {camp['distinct_submissions']}"
        )
        print(
            "  wall time       "
            + _ratio_below(camp["wall_s"], 30, "s")
            + f"  [cpu {camp['cpu_s']} s]"
        )
        print(
            "  peak RSS        "
            + _ratio_below(camp["peak_rss_mb"], 1024, "MB")
            + f"  [RSS before stage {camp['rss_before_mb']} MB, held by the input data]"
        )
    match = results.get("matcher")
    if match:
        print(
            f"\n[matcher] one new response against known campaigns "
            f"({match['queries']} queries, {match['members_in_sample']} campaign members)"
        )
        print("  p50             " + _ratio_below(match["p50_ms"], 2, "ms"))
        print("  p95             " + _ratio_below(match["p95_ms"], 2, "ms"))
        print("  cpu p50         " + _ratio_below(match["cpu_p50_ms"], 2, "ms"))
        print(
            "  cpu p95         "
            + _ratio_below(match["cpu_p95_ms"], 2, "ms")
            + "  (wall time above also holds time given to other processes on a shared machine)"
        )
        print(
            f"  max {match['max_ms']} ms, build {match['build_s']} s, "
            f"agreement with batch {match['agreement_with_batch']:.4f}"
        )
    base = results.get("baseline")
    if base:
        print(
            f"\n[baseline] {base['size']} responses: engine vs all-pairs rapidfuzz "
            "process.cdist(fuzz.ratio, score_cutoff=80, workers=2)"
        )
        print(
            f"  engine          {base['engine_wall_s']} s, precision "
            f"{base['engine_precision']:.4f}, recall {base['engine_recall']:.4f}"
        )
        print(
            f"  baseline        {base['baseline_wall_s']} s (cpu {base['baseline_cpu_s']} s), "
            f"precision {base['baseline_precision']:.4f}, recall {base['baseline_recall']:.4f}"
        )
        print("  speed-up        " + _ratio_at_least(base["speedup"], 100))
    first = results.get("analysis_first")
    if first:
        print(f"\n[analysis, first run] no analyst input yet; workers={args.workers}")
        print(
            "  wall time       "
            + _ratio_below(first["wall_s"], 60, "s")
            + f"  [cpu {first['cpu_s']} s, workers included]"
        )
        print(
            "  peak RSS        "
            + _ratio_below(first["peak_rss_mb"] + first["worker_peak_rss_mb"], 2048, "MB")
            + f"  [main process {first['peak_rss_mb']} MB (before stage "
            f"{first['rss_before_mb']} MB) + largest worker {first['worker_peak_rss_mb']} MB; "
            "forked workers share pages with the main process, so the sum is an upper bound]"
        )
        print(
            f"  result JSON {first['json_mb']} MB, to_dict+dumps {first['to_json_s']} s, "
            f"themes discovered {first['themes']}"
        )
    coded = results.get("analysis_coded")
    if coded:
        print(
            f"\n[analysis, re-run] workers={args.workers}; analyst edits + "
            f"{coded['coded_per_question']} hand-coded "
            "answers per question (the engine's coding suggestions: campaign templates first, "
            "then review-queue answers interleaved with a seeded random sample)"
        )
        print(
            "  wall time       "
            + _ratio_below(coded["wall_s"], 60, "s")
            + f"  [cpu {coded['cpu_s']} s, workers included]"
        )
        print(
            "  peak RSS        "
            + _ratio_below(coded["peak_rss_mb"] + coded["worker_peak_rss_mb"], 2048, "MB")
            + f"  [main process {coded['peak_rss_mb']} MB (before stage "
            f"{coded['rss_before_mb']} MB) + largest worker {coded['worker_peak_rss_mb']} MB; "
            "forked workers share pages with the main process, so the sum is an upper bound]"
        )
        print(
            "  theme F1 (micro, all questions, uncoded answers) "
            + _ratio_at_least(coded["overall_micro_f1"], 0.8)
        )
        for question_id, figures in coded["questions"].items():
            print(
                f"  {question_id}: micro F1 {figures['micro_f1']} (P {figures['micro_precision']}"
                f", R {figures['micro_recall']}), outside campaigns "
                f"{figures['non_campaign_micro_f1']}, models {figures['models']}"
            )
            for theme, f1 in figures["per_theme_f1"].items():
                print(f"      {theme:<24} F1 {f1:.4f}  ({f1 / 0.8:.3f}x target)")
            if "stance_accuracy" in figures:
                print(f"      stance accuracy by source: {figures['stance_accuracy']}")
        if coded["warnings"]:
            print(f"  warnings: {coded['warnings']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline-size", type=int, default=5_000)
    parser.add_argument("--coded", type=int, default=200, help="hand-coded answers per question")
    parser.add_argument("--matcher-queries", type=int, default=2_000)
    parser.add_argument(
        "--workers", type=int, default=1, help="run_analysis worker processes (1 = in process)"
    )
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated subset")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(STAGE_FUNCTIONS[args.stage](args)))
        return
    results: dict[str, dict[str, Any]] = {}
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    for stage in args.stages.split(","):
        command = [
            sys.executable,
            __file__,
            "--stage",
            stage,
            "--responses",
            str(args.responses),
            "--seed",
            str(args.seed),
            "--baseline-size",
            str(args.baseline_size),
            "--coded",
            str(args.coded),
            "--matcher-queries",
            str(args.matcher_queries),
            "--workers",
            str(args.workers),
        ]
        print(f"running stage {stage} ...", file=sys.stderr, flush=True)
        completed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if completed.returncode != 0:
            print(completed.stderr, file=sys.stderr)
            continue
        results[stage] = json.loads(completed.stdout.strip().splitlines()[-1])
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"analysis-{args.responses}-{args.seed}.json").write_text(json.dumps(results, indent=2))
    report(args, results)


if __name__ == "__main__":
    main()
