"""Benchmark of analysis runs on the Django side: a run over a consultation stored in the
database, what it stores, and publishing the summary of responses.

    python bench/analysis_runs.py [--responses N] [--seed S] [--database-url URL]

Builds a closed consultation of N generated responses (default 3,000, the demo's size) in a
scratch SQLite database (or the empty database at --database-url), then times each step and
prints figures beside a baseline measured in the same run: the engine alone on the same
inputs, held in memory. Never asserts. See bench/analysis_runs.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _setup(database_url: str | None, folder: str) -> None:
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ["MOOT_VAR_DIR"] = folder
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moot.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _timed(label: str, figures: dict[str, Any], work: Any) -> Any:
    started = time.perf_counter()
    value = work()
    figures[label] = round(time.perf_counter() - started, 3)
    return value


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--database-url", default=None, help="An empty scratch database.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="moot-bench-") as folder:
        _setup(args.database_url, folder)
        run_benchmark(responses=args.responses, seed=args.seed)


def run_benchmark(*, responses: int, seed: int) -> None:
    from django.db import connection

    from moot.analysis.engine import AnalysisParams, run_analysis
    from moot.analysis.models import (
        AnalysisRun,
        CampaignMembership,
        RunStatus,
        StanceRow,
        ThemeAssignmentRow,
    )
    from moot.analysis.reports.pdf import summary_pdf
    from moot.analysis.reports.tables import figures_csv, figures_xlsx
    from moot.analysis.selectors.inputs import engine_inputs_load
    from moot.analysis.selectors.responses import campaign_guess
    from moot.analysis.services.runs import analysis_run_execute, analysis_run_start
    from moot.analysis.services.summary import analysis_summary_publish
    from moot.consultations.models import Response
    from moot.core.models import Department, User
    from moot.demo.analysis import final_document_attach, generated_consultation_create

    figures: dict[str, Any] = {}
    department = Department.objects.create(name="Bench department", slug="bench")
    user = User.objects.create_superuser(username="bench", password=None, department=department)
    consultation = _timed(
        "build the consultation (setup)",
        figures,
        lambda: generated_consultation_create(
            department=department,
            slug=f"bench-{responses}",
            title="Benchmark consultation",
            responses=responses,
            seed=seed,
        ),
    )
    final_document_attach(consultation)

    def engine_alone() -> None:
        inputs = engine_inputs_load(consultation=consultation)
        started = time.perf_counter()
        run_analysis(
            questions=inputs.questions, responses=inputs.responses, params=AnalysisParams()
        )
        figures["engine alone (baseline)"] = round(time.perf_counter() - started, 3)

    _timed("load inputs and run the engine alone", figures, engine_alone)
    run = analysis_run_start(consultation=consultation, by=user)
    _timed("whole run", figures, lambda: analysis_run_execute(run_id=run.pk))
    run = AnalysisRun.objects.get(pk=run.pk)
    if run.status != RunStatus.SUCCEEDED:
        print(f"The run failed: {run.error_message}")
        return
    rows = {
        "campaign memberships": CampaignMembership.objects.filter(run=run).count(),
        "theme assignments": ThemeAssignmentRow.objects.filter(run=run).count(),
        "stances": StanceRow.objects.filter(run=run).count(),
    }
    summary = _timed(
        "publish the summary", figures, lambda: analysis_summary_publish(run=run, by=user)
    )
    pdf = _timed(
        "PDF of the summary",
        figures,
        lambda: summary_pdf(
            title=summary.title,
            consultation_title=consultation.title,
            byline=department.name,
            body=summary.body,
        ),
    )
    csv = _timed("CSV of the figures", figures, lambda: figures_csv(figures=summary.figures))
    xlsx = _timed("XLSX of the figures", figures, lambda: figures_xlsx(figures=summary.figures))
    newest = Response.objects.filter(consultation=consultation).first()
    _timed(
        "campaign guess, cold matcher", figures, lambda: campaign_guess(run=run, response=newest)
    )
    _timed(
        "campaign guess, cached matcher", figures, lambda: campaign_guess(run=run, response=newest)
    )

    engine = figures["engine alone (baseline)"]
    overhead = run.timings["load"] + run.timings["save"]
    print(f"moot analysis runs: {responses:,} responses, seed {seed}, {connection.vendor}")
    print(f"load average {os.getloadavg()[0]:.2f}; peak RSS {_peak_mb()} MB")
    print()
    for label, seconds in figures.items():
        print(f"  {label:<34} {seconds:>9.3f} s")
    print()
    print(
        f"  run steps: load {run.timings['load']} s, engine {run.timings['engine']} s, "
        f"save {run.timings['save']} s"
    )
    print(
        f"  whole run / engine alone: {figures['whole run'] / engine:.2f}x "
        f"(loading and saving add {overhead:.2f} s, "
        f"{100 * overhead / engine:.0f}% of the engine)"
    )
    print(
        f"  stored result: {run.result_bytes:,} bytes gzipped, {run.result_json_bytes:,} as "
        f"JSON ({run.result_json_bytes / run.result_bytes:.1f}x smaller stored)"
    )
    summary_bytes = len(str(run.summary).encode())
    print(f"  summary kept in the database for pages: about {summary_bytes:,} bytes")
    for label, count in rows.items():
        print(f"  rows written: {count:>9,} {label}")
    print(f"  downloads: PDF {len(pdf):,} bytes, CSV {len(csv):,} bytes, XLSX {len(xlsx):,} bytes")


if __name__ == "__main__":
    main()
