"""Benchmark: moot under a mixed load on gunicorn + PostgreSQL, beside a minimal Django view.

    .venv/bin/python bench/load.py                    # the figures the issue asks for
    .venv/bin/python bench/load.py --duration 5       # a quick run while developing

It makes a scratch PostgreSQL database (or uses ``--database-url``), migrates it, loads the
demo, imports the real ParlParse files (or, where they are absent, a generated corpus in
their format) so that there are hundreds of question pages, prepares complete response
drafts, and builds the search index with ``moot reindex``. It then runs moot as in
production — ``moot serve --production`` (gunicorn gthread, ``--workers`` processes) and
one ``moot worker`` — with one extra URL, a minimal view behind the same middleware. From a
separate client process over loopback, at ``--connections`` keep-alive connections, closed
loop, it measures:

1. the baseline: the minimal view;
2. question pages alone, across every question (alternating with the baseline in short
   slices, so that a noisy machine disturbs both alike);
3. the mixed workload: question pages, searches with varied queries, response submissions
   and Yes/No votes on answers.

Every request comes from a different client address in ``X-Forwarded-For`` (with
``TRUSTED_PROXY_COUNT=1``), so the client looks like many readers, respondents and voters,
and moot's per-address limits apply as they would in production without stopping the run.

It prints requests per second, p50, p99 and errors per kind; the question page's rate as a
share of the baseline's (target: at least 70%, with p99 under 150 ms); and the submissions
and votes acknowledged against those read back from the database (they must be equal).
Before serving, it also measures in one process what a question page costs: its database
queries and where its time goes.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _harness import (
    HERE,
    POSTGRES,
    REPO,
    Client,
    Phase,
    Workload,
    arguments,
    closed_loop,
    drafts_prepare,
    drafts_read,
    drafts_write,
    free_port,
    kind_summaries,
    responses_submitted,
    run_psql,
    run_python,
    start,
    stop,
    tasks_waiting,
    terminated_as_interrupt,
    verdicts,
    votes_stored,
    wait_until,
    wait_until_ready,
)

SLUG = "load-bench-consultation"
MIX = {"question": 60, "search": 20, "submission": 10, "vote": 10}
# Measured alone: the baseline, the question page, and the same page's bytes from a cache.
ALONE = ("baseline", "question", "cached")
SLICE_SECONDS = 5.0
MOOT = [sys.executable, "-m", "moot.cli"]
# Set by --cache-url: the cache the web processes share (production runs Redis here).
CACHE_URL = ""


def redis_reachable(url: str) -> bool:
    try:
        import redis
    except ImportError:
        return False
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.ping()
        client.flushdb()  # a database of its own for the run
    except redis.RedisError:
        return False
    return True


def shared_parlparse() -> Path:
    """The real ParlParse files: ``MOOT_SHARED_DATA``, else ``shared/data`` beside the
    checkout or beside its folder of worktrees."""
    if os.environ.get("MOOT_SHARED_DATA"):
        return Path(os.environ["MOOT_SHARED_DATA"]) / "parlparse"
    for folder in (REPO.parent, REPO.parent.parent):
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data" / "parlparse"
    return REPO.parent / "shared" / "data" / "parlparse"


# --- run in subprocesses with the scratch database's environment --------------------------


def prepare(config: dict[str, Any]) -> None:
    """Drafts to submit, and what the client will ask for: every question page, the answers
    to vote on, and search queries made of the corpus's own words."""
    import django

    django.setup()
    from moot.parliament.models import AnswerVote, WrittenAnswer, WrittenQuestion

    drafts_write(drafts_prepare(slug=SLUG, count=config["drafts"]), Path(config["drafts_file"]))
    questions = list(
        WrittenQuestion.objects.order_by("date", "id").only("date", "identifier", "heading")
    )
    answers = list(
        WrittenAnswer.objects.filter(questions__isnull=False)
        .distinct()
        .values_list("id", flat=True)
    )
    rng = random.Random(config["seed"])
    workload = {
        "questions": [q.get_absolute_url() for q in questions],
        "answers": answers,
        "queries": search_queries(rng, [q.heading for q in questions], [q.date for q in questions]),
        "votes_before": AnswerVote.objects.count(),
    }
    Path(config["workload_file"]).write_text(json.dumps(workload))


def search_queries(
    rng: random.Random, headings: list[str], dates: list[Any], count: int = 400
) -> list[str]:
    """Varied queries in the search language: words, pairs, phrases, OR, filters."""
    words = sorted({w.lower() for h in headings for w in re.findall(r"[A-Za-z]{5,}", h)})
    pairs = [
        " ".join(found[i : i + 2]).lower()
        for h in headings
        for found in [re.findall(r"[A-Za-z]{4,}", h)]
        for i in range(len(found) - 1)
    ]
    years = sorted({d.year for d in dates})
    if not words:
        raise RuntimeError("no question headings to make search queries from")
    shapes: list[Callable[[], str]] = [
        lambda: rng.choice(words),
        lambda: rng.choice(words),
        lambda: f"{rng.choice(words)} {rng.choice(words)}",
        lambda: f'"{rng.choice(pairs)}"' if pairs else rng.choice(words),
        lambda: f"{rng.choice(words)} OR {rng.choice(words)}",
        lambda: f"{rng.choice(words)} type:question",
        lambda: f"{rng.choice(words)} date:{rng.choice(years)}",
        lambda: f"{rng.choice(words)} -{rng.choice(words)}",
    ]
    return [rng.choice(shapes)() for _ in range(count)]


def profile(config: dict[str, Any]) -> None:
    """What one question page costs in-process, beside the minimal view: queries, time, and
    the share of the time in the selectors, the vote tallies, the template and the database."""
    import cProfile
    import pstats

    import django

    django.setup()
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    paths = json.loads(Path(config["workload_file"]).read_text())["questions"]
    sample = random.Random(config["seed"]).sample(paths, k=min(100, len(paths)))
    client = DjangoClient(HTTP_HOST="127.0.0.1")

    def get(path: str) -> None:
        # A reader with a cookie: the page is rendered afresh every time, never taken from
        # the shared page cache, so this measures the page's own work.
        client.cookies.clear()
        client.cookies["bench_reader"] = "1"
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    for path in sample[:10]:
        get(path)
        get("/bench/minimal/")

    def timed(path_list: list[str]) -> float:
        started = time.perf_counter()
        for path in path_list:
            get(path)
        return (time.perf_counter() - started) / len(path_list) * 1000

    minimal_ms = timed(["/bench/minimal/"] * len(sample))
    page_ms = timed(sample)
    queries: list[int] = []
    database_ms = 0.0
    for path in sample:
        with CaptureQueriesContext(connection) as captured:
            get(path)
        queries.append(len(captured.captured_queries))
        database_ms += sum(float(q["time"]) for q in captured.captured_queries) * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for path in sample:
        get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[3] for key, row in stats.stats.items() if key[2] == "question_detail")
    parts = {
        "question_for_page (question, answers, prefetches)": "question_for_page",
        "question_page (grouping, neighbours)": "question_page",
        "vote_tallies": "vote_tallies",
        "template rendering": "render_to_string",
        "answer HTML sanitised again (answer_html)": "answer_html",
    }
    shares = {}
    for label, function in parts.items():
        spent = sum(row[3] for key, row in stats.stats.items() if key[2] == function)
        shares[label] = spent / total if total else 0.0
    print(
        json.dumps(
            {
                "minimal_ms": minimal_ms,
                "page_ms": page_ms,
                "queries_min": min(queries),
                "queries_max": max(queries),
                "queries_mean": sum(queries) / len(queries),
                "database_ms": database_ms / len(sample),
                "shares": shares,
            }
        )
    )


def count(config: dict[str, Any]) -> None:
    """Read back what the client was told was stored."""
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    from moot.parliament.models import AnswerVote

    acknowledged = json.loads(Path(config["acks_file"]).read_text())
    submitted = responses_submitted(slug=SLUG, pks=acknowledged["submissions"])
    votes = acknowledged["votes"]
    tasks = Counter(DBTaskResult.objects.values_list("status", flat=True))
    print(
        json.dumps(
            {
                "submissions_acknowledged": len(acknowledged["submissions"]),
                "submissions_found": submitted["acknowledged_found"],
                "submissions_stored": submitted["stored"],
                "votes_acknowledged": len(votes),
                "votes_found": votes_stored(votes),
                "votes_stored": AnswerVote.objects.count() - config["votes_before"],
                "tasks": dict(tasks),
            }
        )
    )


# --- the client process ----------------------------------------------------------------------


def fetch_all(port: int, paths: list[str], connections: int) -> None:
    local = threading.local()

    def fetch(path: str) -> None:
        if not hasattr(local, "client"):
            local.client = Client(port)
        reply = local.client.request("GET", path)
        if reply.status != 200:
            raise RuntimeError(f"{path} answered {reply.status}")

    with ThreadPoolExecutor(max_workers=connections) as pool:
        list(pool.map(fetch, paths))


def client(config: dict[str, Any]) -> None:
    port, connections, duration = config["port"], config["connections"], config["duration"]
    data = json.loads(Path(config["workload_file"]).read_text())
    workload = Workload(
        slug=SLUG,
        questions=data["questions"],
        answers=data["answers"],
        queries=data["queries"],
        drafts=drafts_read(Path(config["drafts_file"])),
    )
    # Warm every path (connections, imports, template and URL caches) before measuring, and
    # fill the what-if cache with every page.
    for kind in ALONE + tuple(MIX):
        closed_loop(workload, port, {kind: 1}, connections=connections, seconds=1, seed=0)
    fetch_all(port, ["/bench/cached" + path for path in workload.questions], connections)
    # A site in service is warm: its shared page cache already holds the pages cookieless
    # readers ask for. Pages still expire after PUBLIC_PAGE_CACHE_SECONDS during the run and
    # are rendered again, as in service.
    fetch_all(port, workload.questions, connections)
    # The kinds measured alone take turns in short slices, so that load from elsewhere on
    # the machine falls on each alike.
    slices = max(1, round(duration / SLICE_SECONDS))
    alone: dict[str, list[Phase]] = {kind: [] for kind in ALONE}
    for number in range(slices):
        for kind in ALONE:
            alone[kind].append(
                closed_loop(
                    workload,
                    port,
                    {kind: 1},
                    connections=connections,
                    seconds=duration / slices,
                    seed=number + 1,
                )
            )
    mixed = closed_loop(
        workload, port, MIX, connections=connections, seconds=duration, seed=slices + 1
    )
    Path(config["acks_file"]).write_text(
        json.dumps(
            {"submissions": workload.acknowledged_drafts, "votes": workload.acknowledged_votes}
        )
    )
    every = [*itertools.chain(*alone.values()), mixed]
    print(
        json.dumps(
            {
                **{kind: kind_summaries(phases)[kind] for kind, phases in alone.items()},
                "mixed": kind_summaries([mixed]),
                "mixed_seconds": mixed.elapsed,
                "client_cpu_share": sum(p.client_cpu for p in every)
                / sum(p.elapsed for p in every),
                "drafts_ran_out": workload.drafts_ran_out,
                "addresses": workload.addresses.used,
            }
        )
    )


# --- the driver --------------------------------------------------------------------------------


def environment(url: str, scratch: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + secrets.token_hex(16),
        "DJANGO_SETTINGS_MODULE": "load_site",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO / "src")]),
        "MOOT_VAR_DIR": str(scratch / "var"),
        "SEARCH_INDEX_DIR": str(scratch / "search"),
        "STATIC_ROOT": str(scratch / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        # The client sends a new address per request in X-Forwarded-For, as a proxy would.
        "TRUSTED_PROXY_COUNT": "1",
        "EMAIL_URL": "memory://",
        "LOG_LEVEL": "WARNING",
        **({"CACHE_URL": CACHE_URL} if CACHE_URL else {}),
    }


def step(label: str, action: Callable[[], object]) -> None:
    started = time.perf_counter()
    print(f"  {label} …", end="", flush=True)
    action()
    print(f" {time.perf_counter() - started:.0f} s", flush=True)


def load_data(env: dict[str, str], args: argparse.Namespace, scratch: Path) -> str:
    step("migrate", lambda: run_python([*MOOT[1:], "migrate", "--noinput"], env))
    step("load-demo", lambda: run_python([*MOOT[1:], "load-demo"], env))
    source = args.parlparse
    if source is None or not source.is_dir():
        source = scratch / "parlparse"
        generator = importlib.import_module("import")
        files, size = generator.generate_corpus(source, args.generate)
        described = f"{args.generate:,} generated questions ({files} files, {size / 1e6:.0f} MB)"
    else:
        described = f"the real ParlParse files in {source}"
    step(
        f"import-parlparse: {described}",
        lambda: run_python([*MOOT[1:], "import-parlparse", str(source)], env),
    )
    step("moot reindex", lambda: run_python([*MOOT[1:], "reindex"], env))
    return described


def run(args: argparse.Namespace, url: str, scratch: Path) -> dict[str, Any]:
    env = environment(url, scratch)
    config = {
        "drafts": args.drafts,
        "seed": args.seed,
        "drafts_file": str(scratch / "drafts.json"),
        "workload_file": str(scratch / "workload.json"),
        "acks_file": str(scratch / "acknowledged.json"),
    }
    print("Preparing the scratch database:")
    corpus = load_data(env, args, scratch)
    step(
        f"{args.drafts:,} response drafts, the workload",
        lambda: run_python([__file__, "--prepare", json.dumps(config)], env, cwd=str(REPO)),
    )
    workload = json.loads(Path(config["workload_file"]).read_text())
    config["votes_before"] = workload["votes_before"]
    step("collectstatic", lambda: run_python([*MOOT[1:], "collectstatic", "--noinput"], env))
    profiled: dict[str, Any] = {}
    step(
        "one question page in-process (queries, profile)",
        lambda: profiled.update(
            json.loads(run_python([__file__, "--profile", json.dumps(config)], env, cwd=str(REPO)))
        ),
    )
    port = free_port()
    logs = {name: (scratch / f"{name}.log").open("wb") for name in ("web", "worker")}
    worker = start([*MOOT, "worker"], env, stdout=logs["worker"], stderr=logs["worker"])
    server = None
    try:
        server = start(
            [
                *MOOT,
                "serve",
                "--production",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
            ],
            env,
            stdout=subprocess.DEVNULL,  # the access log
            stderr=logs["web"],
        )
        try:
            wait_until_ready(port, server)
        except RuntimeError:
            print((scratch / "web.log").read_text(errors="replace")[-3000:])
            raise
        print(
            f"Measuring: {args.duration:.0f} s per phase at {args.connections} connections …",
            flush=True,
        )
        config.update(port=port, connections=args.connections, duration=args.duration)
        results: dict[str, Any] = json.loads(
            run_python([__file__, "--client", json.dumps(config)], env, timeout=3600)
        )
        # The receipts the last submissions queued.
        results["drained"] = bool(wait_until(lambda: tasks_waiting(url) == 0, timeout=120))
    finally:
        if server is not None:
            stop(server)
        stop(worker)
        for log in logs.values():
            log.close()
    results["stored"] = json.loads(
        run_python([__file__, "--count", json.dumps(config)], env, cwd=str(REPO))
    )
    results["profile"] = profiled
    results["corpus"] = corpus
    results["question_pages"] = len(workload["questions"])
    results["queries"] = len(workload["queries"])
    return results


def _line(label: str, summary: dict[str, Any]) -> str:
    errors = summary["failures"]
    detail = ", ".join(f"{status} ×{n}" for status, n in summary["failure_statuses"])
    return (
        f"  {label:<28}{summary['rate']:8.1f} req/s  p50 {summary['p50_ms']:7.1f} ms"
        f"  p99 {summary['p99_ms']:7.1f} ms  errors {errors}{f' ({detail})' if detail else ''}"
    )


def report(results: dict[str, Any], args: argparse.Namespace) -> None:
    baseline, question = results["baseline"], results["question"]
    share = question["rate"] / baseline["rate"] if baseline["rate"] else 0.0
    profile_ = results["profile"]
    stored = results["stored"]
    print(
        f"\nData: {results['question_pages']} question pages ({results['corpus']}), "
        f"{results['queries']} search queries, {args.drafts:,} drafts."
    )
    print(
        f"Client addresses: every request sent a new one in X-Forwarded-For "
        f"({results['addresses']:,} in all; moot runs with TRUSTED_PROXY_COUNT=1), so "
        "per-address rate limits count each simulated reader, respondent and voter apart."
    )
    print("\nIn one process, no HTTP (100 question pages):")
    print(
        f"  minimal view {profile_['minimal_ms']:.2f} ms; "
        f"question page {profile_['page_ms']:.1f} ms, "
        f"{profile_['queries_min']}–{profile_['queries_max']} queries "
        f"(mean {profile_['queries_mean']:.1f}), "
        f"{profile_['database_ms']:.1f} ms of it in the database"
    )
    print(
        "  where a question page's time goes: "
        + "; ".join(f"{label} {share_:.0%}" for label, share_ in profile_["shares"].items())
    )
    print(f"\nClosed loop, {args.connections} connections, {args.duration:.0f} s per phase:")
    print(_line("baseline: minimal view", baseline))
    print(_line("question pages alone", question))
    print(f"  {'question page / baseline':<28}{share:8.0%}          (target ≥ 70%, p99 < 150 ms)")
    cached = results["cached"]
    print(_line("the page's bytes from a cache", cached))
    print(
        f"  {'cached copy / baseline':<28}{cached['rate'] / baseline['rate']:8.0%}"
        "          (what-if: no page work, the same bytes through the same stack)"
    )
    print(f"  mixed workload ({', '.join(f'{w}% {k}' for k, w in MIX.items())}):")
    mixed = results["mixed"]
    for kind in MIX:
        if kind in mixed:
            print(_line(f"  {kind}", mixed[kind]))
    total = sum(s["requests"] for s in mixed.values())
    print(f"    {'all':<26}{total / results['mixed_seconds']:8.1f} req/s")
    print(
        f"  submissions: acknowledged {stored['submissions_acknowledged']}, of them stored "
        f"{stored['submissions_found']}; stored in all {stored['submissions_stored']}"
    )
    print(
        f"  votes: acknowledged {stored['votes_acknowledged']}, of them stored "
        f"{stored['votes_found']}; stored in all {stored['votes_stored']}"
    )
    drained = "" if results["drained"] else " (the queue had not drained 2 minutes after the load)"
    print(f"  background tasks at the end: {stored['tasks']}{drained}")
    print(f"  the client process used {results['client_cpu_share']:.0%} of one CPU")
    checks = [
        ("question page ≥ 70% of baseline", share >= 0.7),
        ("question page p99 < 150 ms", question["p99_ms"] < 150),
        (
            "nothing lost",
            stored["submissions_found"] == stored["submissions_acknowledged"]
            and stored["votes_found"] == stored["votes_acknowledged"],
        ),
    ]
    print("  " + verdicts(checks))
    if results["drafts_ran_out"]:
        print("  (ran out of prepared drafts: raise --drafts for a full run)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=30, help="Seconds per phase.")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) * 2 + 1,
        help="gunicorn web processes (default: 2 × cores + 1, as in production)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per web process")
    parser.add_argument(
        "--database-url",
        help="an empty PostgreSQL database to use (default: a scratch database on "
        f"{POSTGRES}, created and dropped)",
    )
    parser.add_argument("--drafts", type=int, default=10_000, help="response drafts to prepare")
    parser.add_argument(
        "--parlparse",
        type=Path,
        default=shared_parlparse(),
        help="ParlParse files to import (default: the shared real data)",
    )
    parser.add_argument(
        "--generate",
        type=int,
        default=2000,
        help="questions to generate when the ParlParse folder is absent",
    )
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/13",
        help="the cache shared by the web processes, as CACHE_URL in production (default: "
        "Redis database 13 on this machine, emptied first; 'none' for each process's own)",
    )
    args = arguments(
        parser, {"prepare": prepare, "profile": profile, "client": client, "count": count}
    )
    if args is None:
        return

    global CACHE_URL
    if args.cache_url != "none" and redis_reachable(args.cache_url):
        CACHE_URL = args.cache_url
    cache_label = f"cache {CACHE_URL}" if CACHE_URL else "each process's own memory cache"
    print(
        f"moot load benchmark: gunicorn {args.workers} × {args.threads} threads "
        f"(gthread) + 1 moot worker, PostgreSQL, {cache_label}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    try:
        with terminated_as_interrupt(), tempfile.TemporaryDirectory(prefix="moot-load-") as folder:
            scratch = Path(folder)
            if args.database_url:
                results = run(args, args.database_url, scratch)
            else:
                database = f"moot_load_{os.getpid()}"
                run_psql(f"CREATE DATABASE {database}")
                try:
                    results = run(args, f"{POSTGRES}/{database}", scratch)
                finally:
                    run_psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    except KeyboardInterrupt:
        print("\nInterrupted: the server, the worker and the scratch database are gone.")
        raise SystemExit(130) from None
    report(results, args)
    print(f"  load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
