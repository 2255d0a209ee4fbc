"""Benchmark: online response submission under load, on SQLite and on PostgreSQL.

    .venv/bin/python bench/responses.py                 # the figures the issue asks for
    .venv/bin/python bench/responses.py --duration 5    # a quick run while developing

For each database it makes a scratch database, migrates it, builds a consultation with a
questionnaire and enough complete drafts, and starts moot under gunicorn (2 processes × 4
threads, as ``moot serve`` runs). A separate client process then drives, over loopback:

1. baseline: a minimal Django view that inserts one row, closed loop, N connections;
2. sustained: moot's real submission ("Send response" on Check your answers: CSRF, rate
   limits, idempotency token, reference, answers check, receipt task queued), closed loop;
3. burst: arrivals at 10× the sustained rate, open loop, for a few seconds (closing day).

It prints requests per second, p50/p99 latency, moot's rate as a share of the baseline, and
responses acknowledged (redirect to the confirmation page) against responses stored (read
back from the database afterwards): they must be equal. Targets: ≥ 50% of the baseline,
p99 < 250 ms when sustained, nothing lost.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _harness import (
    HERE,
    POSTGRES,
    REPO,
    Client,
    Draft,
    Submission,
    drafts_prepare,
    drafts_read,
    drafts_write,
    free_port,
    responses_submitted,
    run_psql,
    run_python,
    submission_acknowledged,
    summarise,
    wait_for,
)

SLUG = "bench-consultation"


# --- run in a subprocess with the scratch database's environment -------------------------


def prepare(count: int, out: Path) -> None:
    """Create the consultation, its questionnaire and ``count`` complete drafts, and the
    baseline's table."""
    import django

    django.setup()
    from django.db import connection

    drafts_write(drafts_prepare(slug=SLUG, count=count), out)
    with connection.cursor() as cursor:
        serial = "BIGSERIAL" if connection.vendor == "postgresql" else "INTEGER"
        cursor.execute(
            f"CREATE TABLE bench_raw_insert (id {serial} PRIMARY KEY, "
            "created_at TIMESTAMP WITH TIME ZONE NOT NULL, payload TEXT NOT NULL)"
        )


def count_stored() -> None:
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_raw_insert")
        raw = cursor.fetchone()[0]
    print(json.dumps({"submitted": responses_submitted(slug=SLUG)["stored"], "raw_rows": raw}))


# --- the client process ----------------------------------------------------------------------


class Work:
    """The requests of one phase, handed out one at a time to the client threads."""

    def __init__(self, port: int, drafts: list[Draft], raw: bool) -> None:
        self.port = port
        self.tokens = drafts
        self.raw = raw
        self.lock = threading.Lock()

    def next_request(self) -> tuple[str, str, str] | None:
        if self.raw:
            return "/bench/raw-insert/", "payload=" + "x" * 200, ""
        with self.lock:
            if not self.tokens:
                return None
            draft = self.tokens.pop()
        submission = Submission.for_draft(draft, slug=SLUG)
        return submission.path, submission.body, submission.headers["Cookie"]


def _ok(raw: bool, status: int, location: str) -> bool:
    if raw:
        return status == 201
    return submission_acknowledged(status, location)


def closed_loop(work: Work, *, connections: int, seconds: float) -> dict[str, object]:
    latencies: list[float] = []
    failures: list[int] = []
    acknowledged = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def run() -> None:
        nonlocal acknowledged
        client = Client(work.port)
        while time.perf_counter() < deadline:
            request = work.next_request()
            if request is None:
                return
            started = time.perf_counter()
            status, location = client.post(*request)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if _ok(work.raw, status, location):
                    acknowledged += 1
                else:
                    failures.append(status)

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summarise(latencies, acknowledged, failures, time.perf_counter() - started)


def open_loop(work: Work, *, rate: float, seconds: float, connections: int) -> dict[str, object]:
    """Requests arrive at ``rate`` per second whatever the server does; latency counts from
    when each should have been sent, so queueing shows."""
    latencies: list[float] = []
    failures: list[int] = []
    acknowledged = 0
    lock = threading.Lock()
    local = threading.local()
    total = int(rate * seconds)
    start = time.perf_counter() + 0.1

    def send(index: int) -> None:
        nonlocal acknowledged
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        request = work.next_request()
        if request is None:
            return
        if not hasattr(local, "client"):
            local.client = Client(work.port)
        status, location = local.client.post(*request)
        with lock:
            latencies.append(time.perf_counter() - due)
            if _ok(work.raw, status, location):
                acknowledged += 1
            else:
                failures.append(status)

    with ThreadPoolExecutor(max_workers=connections) as pool:
        list(pool.map(send, range(total)))
    return summarise(latencies, acknowledged, failures, time.perf_counter() - start)


def client(config: dict[str, object]) -> None:
    port = int(config["port"])  # type: ignore[call-overload]
    tokens = drafts_read(Path(str(config["tokens"])))
    seconds = float(config["seconds"])  # type: ignore[arg-type]
    connections = int(config["connections"])  # type: ignore[call-overload]
    results: dict[str, object] = {}
    # Warm up both paths (connections, imports, caches) before measuring.
    closed_loop(Work(port, [], raw=True), connections=connections, seconds=1)
    warmup = closed_loop(Work(port, tokens, raw=False), connections=connections, seconds=1)
    results["warmup_acknowledged"] = warmup["acknowledged"]
    results["raw"] = closed_loop(Work(port, [], raw=True), connections=connections, seconds=seconds)
    submit = Work(port, tokens, raw=False)
    results["sustained"] = closed_loop(submit, connections=connections, seconds=seconds)
    sustained_rate = float(results["sustained"]["rate"])  # type: ignore[index]
    results["burst"] = open_loop(
        submit,
        rate=max(1.0, sustained_rate * 10),
        seconds=float(config["burst_seconds"]),  # type: ignore[arg-type]
        connections=int(config["burst_connections"]),  # type: ignore[call-overload]
    )
    results["drafts_left"] = len(submit.tokens)
    print(json.dumps(results))


# --- the driver --------------------------------------------------------------------------------


def bench_database(
    name: str, url: str, args: argparse.Namespace, scratch: Path
) -> dict[str, object]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + secrets.token_hex(16),
        "DJANGO_SETTINGS_MODULE": "responses_site",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO), str(REPO / "src")]),
        "MOOT_VAR_DIR": str(scratch / name),
        "ALLOWED_HOSTS": "127.0.0.1",
        "RESPONSE_SUBMIT_RATE_LIMIT": "1000000000",
        "RESPONSE_FORM_RATE_LIMIT": "1000000000",
        "EMAIL_URL": "memory://",
        "LOG_LEVEL": "WARNING",
    }
    run_python(["-m", "moot.cli", "migrate", "--noinput"], env)
    tokens = scratch / f"{name}-tokens.json"
    run_python([__file__, "--prepare", str(args.drafts), "--out", str(tokens)], env, cwd=str(REPO))
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "moot.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=str(REPO),
    )
    try:
        wait_for(port)
        config = {
            "port": port,
            "tokens": str(tokens),
            "seconds": args.duration,
            "connections": args.connections,
            "burst_seconds": args.burst_seconds,
            "burst_connections": args.burst_connections,
        }
        output = run_python([__file__, "--client", json.dumps(config)], env, timeout=3600)
        results: dict[str, object] = json.loads(output)
    finally:
        server.terminate()
        server.wait(timeout=30)
    results.update(json.loads(run_python([__file__, "--count"], env, cwd=str(REPO))))
    return results


def _line(label: str, phase: dict[str, float], unit: str = "req/s") -> str:
    return (
        f"  {label:<34}{phase['rate']:8.1f} {unit:<6}  p50 {phase['p50_ms']:7.1f} ms"
        f"   p99 {phase['p99_ms']:8.1f} ms"
    )


def report(name: str, results: dict[str, Any]) -> None:
    raw, sustained, burst = results["raw"], results["sustained"], results["burst"]
    acknowledged = (
        results["warmup_acknowledged"] + sustained["acknowledged"] + burst["acknowledged"]
    )
    ratio = sustained["rate"] / raw["rate"] if raw["rate"] else 0.0
    failed = sustained["failures"] + burst["failures"]
    statuses = sorted({*sustained["failure_statuses"], *burst["failure_statuses"]})
    print(f"\n{name}")
    print(_line("baseline: one-row insert view", raw))
    print(_line("moot submission, sustained", sustained, "resp/s"))
    print(f"  {'moot / baseline':<34}{ratio:8.0%}          (target ≥ 50%)")
    print(_line(f"burst at 10×: {burst['requests']} in {burst['seconds']:.1f} s", burst, "resp/s"))
    print(
        f"  acknowledged {acknowledged}, stored {results['submitted']}, "
        f"failed requests {failed} {statuses or ''}"
    )
    verdicts = [
        ("≥ 50% of baseline", ratio >= 0.5),
        ("p99 < 250 ms sustained", sustained["p99_ms"] < 250),
        ("zero lost (stored == acknowledged)", results["submitted"] == acknowledged),
    ]
    print("  " + "; ".join(f"{label}: {'yes' if ok else 'NO'}" for label, ok in verdicts))
    if results.get("drafts_left") == 0:
        print("  (ran out of prepared drafts: raise --drafts for a full run)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=30, help="Seconds per closed-loop phase.")
    parser.add_argument("--burst-seconds", type=float, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--burst-connections", type=int, default=128)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--drafts", type=int, default=40_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare is not None:
        prepare(args.prepare, Path(args.out))
        return
    if args.client:
        client(json.loads(args.client))
        return
    if args.count:
        count_stored()
        return

    print(
        f"moot response benchmark: {args.duration:.0f} s per phase, {args.connections} "
        f"connections, gunicorn {args.workers} × {args.threads} threads, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="moot-bench-") as folder:
        scratch = Path(folder)
        for name in args.databases.split(","):
            if name == "sqlite":
                report(
                    "SQLite (WAL, IMMEDIATE)",
                    bench_database(name, f"sqlite:///{scratch}/bench.sqlite3", args, scratch),
                )
            elif name == "postgresql":
                database = f"moot_bench_{os.getpid()}"
                run_psql(f"CREATE DATABASE {database}")
                try:
                    report(
                        "PostgreSQL", bench_database(name, f"{POSTGRES}/{database}", args, scratch)
                    )
                finally:
                    run_psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


if __name__ == "__main__":
    main()
