"""Fault test: a worker killed mid-task and PostgreSQL restarted under submissions and votes.

    .venv/bin/python bench/faults.py                  # the run the issue asks for
    .venv/bin/python bench/faults.py --load-seconds 20

It runs its own PostgreSQL cluster (initdb into a temporary folder, a free port, trust
authentication; as the ``postgres`` user through ``runuser`` when run as root, since initdb
refuses root), so restarting it disturbs nothing else on the machine. Against it: moot's web
server (``moot serve --production``, two gunicorn processes) and two ``moot worker``
processes, restarted when they exit as the systemd units in ``deploy/`` restart them. A
client process sends response submissions and Yes/No votes over loopback, each from its own
address, and meanwhile this script

1. enqueues slow tasks (``tests/core/tasks_for_tests.py``: sleep, then append a line to a
   file — the side effect is the last step) and SIGKILLs the worker running one of them;
2. enqueues more slow tasks and restarts PostgreSQL (``pg_ctl restart -m fast``) while one
   is running and submissions are arriving;
3. stops the load, sends once more every request that failed (as a person would press the
   button again), and waits for the task queue to drain.

It prints responses acknowledged against those stored (by reference), votes acknowledged
against those stored, the requests that failed (none of which may have been acknowledged),
tasks enqueued against those finished, and how many times each task's side effect happened
(exactly once each), with the receipts emailed for the responses. Every process and the
cluster are removed at the end, also after Ctrl-C or a failure.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import email
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _harness import (
    HERE,
    REPO,
    TASK_TABLE,
    Client,
    Planned,
    Reply,
    Submission,
    Workload,
    arguments,
    closed_loop,
    drafts_prepare,
    drafts_read,
    drafts_write,
    free_port,
    kind_summaries,
    responses_submitted,
    run_python,
    start,
    stop,
    submission_acknowledged,
    tasks_waiting,
    terminated_as_interrupt,
    verdicts,
    votes_stored,
    wait_until,
    wait_until_ready,
)

SLUG = "fault-bench-consultation"
SLOW_TASK = "tests.core.tasks_for_tests.append_line"
MOOT = [sys.executable, "-m", "moot.cli"]
RESTART_DELAY = 2.0  # as RestartSec in deploy/systemd/moot-worker@.service
REFERENCE = re.compile(rb'data-testid="reference">([A-Z0-9-]+)<')


# --- a private PostgreSQL cluster ---------------------------------------------------------------


class Cluster:
    """A throwaway PostgreSQL server in ``root``: initdb, start, restart, stop."""

    def __init__(self, root: Path) -> None:
        candidates = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/initdb"),
            key=lambda path: (
                int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0
            ),
        )
        if not candidates:
            raise SystemExit("No PostgreSQL server binaries under /usr/lib/postgresql/*/bin/.")
        self.bin = candidates[-1].parent
        self.version = self.bin.parent.name
        self.root = root
        self.data = root / "pgdata"
        self.log = root / "postgres.log"
        self.port = free_port()
        # initdb and postgres refuse to run as root: run them as the postgres user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.started = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/moot"

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / program), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd="/",
        )

    def create(self) -> None:
        if self.as_user:
            shutil.chown(self.root, user="postgres", group="postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self._pg_ctl("start")
        self.started = True
        import psycopg

        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
            db.execute("CREATE DATABASE moot")

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root}"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", *extra, action
        )

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def remove(self) -> None:
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._pg_ctl("stop", "-m", "immediate")
            self.started = False


# --- worker processes, restarted when they exit -------------------------------------------------


@dataclass
class Event:
    at: float
    text: str


@dataclass
class Supervisor:
    """Keeps ``count`` ``moot worker`` processes running, restarting any that exits after
    ``RESTART_DELAY`` seconds, and notes why each one went."""

    env: dict[str, str]
    logs: Path
    count: int
    events: list[Event]
    clock: Any
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    killed: set[int] = field(default_factory=set)
    exits: list[tuple[int, int, str]] = field(default_factory=list)
    log_paths: dict[int, Path] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _spawn(self) -> None:
        path = self.logs / f"worker-{len(self.log_paths) + 1}.log"
        command = [*MOOT, "worker", "--interval", "0.2"]
        with path.open("wb") as log:
            process = start(command, self.env, stdout=log, stderr=log)
        with self.lock:
            self.processes[process.pid] = process
            self.log_paths[process.pid] = path

    def _watch(self) -> None:
        for _ in range(self.count):
            self._spawn()
        while not self.stopping.wait(0.2):
            with self.lock:
                gone = [p for p in self.processes.values() if p.poll() is not None]
            for process in gone:
                with self.lock:
                    del self.processes[process.pid]
                reason = (
                    "killed by this benchmark"
                    if process.pid in self.killed
                    else _last_error(self.log_paths[process.pid])
                )
                self.exits.append((process.pid, process.returncode, reason))
                self.events.append(
                    Event(self.clock(), f"worker {process.pid} exited ({reason}); restarting it")
                )
                if self.stopping.wait(RESTART_DELAY):
                    return
                self._spawn()

    def kill(self, pid: int) -> None:
        with self.lock:
            if pid not in self.processes:
                raise RuntimeError(f"process {pid} is not one of this benchmark's workers")
            self.killed.add(pid)
            os.kill(pid, signal.SIGKILL)

    def stop_all(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join()
        with self.lock:
            processes = list(self.processes.values())
        for process in processes:
            stop(process)


def _last_error(log: Path) -> str:
    """The exception a worker died of, from its log."""
    lines = log.read_text(errors="replace").splitlines()
    errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    return errors[-1][:160] if errors else "no error logged"


@dataclass
class Readiness:
    """Polls ``/readyz`` (what a load balancer asks) and notes when moot said it was not ready."""

    port: int
    clock: Any
    polls: int = 0
    unready: list[float] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self) -> None:
        client = Client(self.port, timeout=5)
        while not self.stopping.wait(0.1):
            self.polls += 1
            try:
                ready = client.request("GET", "/readyz").status == 200
            except OSError:
                ready = False
            if not ready:
                self.unready.append(self.clock())

    def stop(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join()


# --- the database, read directly while the scenario runs ---------------------------------------


def tasks_running(url: str, labels: list[str]) -> list[tuple[str, str]]:
    """(label, worker id) of the slow tasks running now."""
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as db:
        rows = db.execute(
            f"SELECT args_kwargs, worker_ids FROM {TASK_TABLE} "  # noqa: S608 - a constant
            "WHERE status = 'RUNNING' AND task_path = %s",
            [SLOW_TASK],
        ).fetchall()
    running = []
    for args_kwargs, worker_ids in rows:
        label = args_kwargs["kwargs"]["text"]
        if label in labels and worker_ids:
            running.append((label, worker_ids[-1]))
    return running


# --- run in subprocesses with the cluster's environment -----------------------------------------


def prepare(config: dict[str, Any]) -> None:
    import django

    django.setup()
    from moot.parliament.models import WrittenAnswer

    drafts_write(drafts_prepare(slug=SLUG, count=config["drafts"]), Path(config["drafts_file"]))
    answers = list(
        WrittenAnswer.objects.filter(questions__isnull=False)
        .distinct()
        .values_list("id", flat=True)
    )
    Path(config["answers_file"]).write_text(json.dumps(answers))


def enqueue(config: dict[str, Any]) -> None:
    import django

    django.setup()
    from tests.core.tasks_for_tests import append_line

    # Ahead of the receipts the submissions queue, so that they start at once.
    urgent = append_line.using(priority=50)
    for label in config["labels"]:
        urgent.enqueue(path=config["side_effects"], text=label, seconds=config["seconds"])


def count(config: dict[str, Any]) -> None:
    """What the database holds, against what the client was told and what the tasks did."""
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    from moot.consultations.models import Response
    from moot.parliament.models import AnswerVote

    client_results = json.loads(Path(config["client_file"]).read_text())
    acknowledged = client_results["references"]  # [pk, reference]
    stored = dict(
        Response.objects.filter(consultation__slug=SLUG)
        .exclude(reference=None)
        .values_list("pk", "reference")
    )
    same_reference = sum(1 for pk, reference in acknowledged if stored.get(pk) == reference)
    failed_pks = client_results["failed_submission_pks"]
    retried_at = dt.datetime.fromtimestamp(client_results["retried_at"], tz=dt.UTC)
    stored_before_retry = Response.objects.filter(
        pk__in=failed_pks, received_at__lt=retried_at
    ).count()
    votes = client_results["votes"]
    slow = DBTaskResult.objects.filter(task_path=SLOW_TASK)
    lines = Counter(Path(config["side_effects"]).read_text().split())
    receipts = DBTaskResult.objects.filter(task_path__endswith="send_response_receipt")
    sent = Counter()
    for path in Path(config["mail_dir"]).glob("*"):
        for message in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if message.strip():
                subject = email.message_from_bytes(message).get("Subject", "")
                sent[subject.rsplit(": ", 1)[-1]] += 1
    print(
        json.dumps(
            {
                "responses_acknowledged": len(acknowledged),
                "responses_same_reference": same_reference,
                "responses_stored": responses_submitted(slug=SLUG)["stored"],
                "failed_but_stored": stored_before_retry,
                "votes_acknowledged": len(votes),
                "votes_found": votes_stored(votes),
                "votes_stored": AnswerVote.objects.count() - config["votes_before"],
                "slow_tasks": [
                    {
                        "label": task.args_kwargs["kwargs"]["text"],
                        "status": task.status,
                        "claims": len(task.worker_ids),
                        "side_effects": lines[task.args_kwargs["kwargs"]["text"]],
                    }
                    for task in slow.order_by("enqueued_at")
                ],
                "side_effect_lines": sum(lines.values()),
                "receipt_tasks": dict(Counter(receipts.values_list("status", flat=True))),
                "receipt_claims_max": max(
                    (len(ids) for ids in receipts.values_list("worker_ids", flat=True)), default=0
                ),
                "receipts_sent": sum(sent[ref] for ref in stored.values()),
                "receipts_twice": sum(1 for ref in stored.values() if sent[ref] > 1),
                "receipts_missing": sum(1 for ref in stored.values() if sent[ref] == 0),
            }
        )
    )


# --- the client process --------------------------------------------------------------------------


class FaultWorkload(Workload):
    """Submissions and votes; keeps each acknowledged response's reference, read from its
    confirmation page, and every failure with the time it happened."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.references: list[tuple[int, str]] = []
        self.failed: list[tuple[float, Planned, str]] = []
        self.retried: Counter[str] = Counter()

    def outcome(self, planned: Planned, reply: Reply, client: Client) -> str | None:
        failure = super().outcome(planned, reply, client)
        if failure is not None:
            with self.lock:
                self.failed.append((time.time(), planned, failure))
        elif planned.kind == "submission":
            assert planned.draft is not None
            reference = self.reference(planned, client)
            with self.lock:
                self.references.append((planned.draft.pk, reference))
        return failure

    def error(self, planned: Planned, error: Exception) -> str:
        failure = super().error(planned, error)
        with self.lock:
            self.failed.append((time.time(), planned, failure))
        return failure

    def reference(self, planned: Planned, client: Client) -> str:
        """The reference on the confirmation page, reloaded until it shows (the database may
        be restarting)."""
        assert planned.draft is not None
        cookie = f"moot_response={planned.draft.resume_token}"
        path = f"/consultations/{self.slug}/respond/confirmation/"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                reply = client.request("GET", path, headers={"Cookie": cookie})
                found = REFERENCE.search(reply.body)
                if reply.status == 200 and found:
                    return found.group(1).decode()
            time.sleep(0.5)
        return ""

    def retry_failed(self, client: Client) -> None:
        """Send each failed request again: the same draft and token, the same voter."""
        for _, planned, _ in list(self.failed):
            if planned.kind == "submission":
                assert planned.draft is not None
                again = Submission.for_draft(
                    planned.draft, slug=self.slug, forwarded_for=self.addresses.next()
                )
                retry = Planned("submission", "POST", again.path, again.body, again.headers)
                retry.draft = planned.draft
            else:
                retry = planned
            try:
                reply = client.request(
                    retry.method, retry.path, body=retry.body, headers=retry.headers
                )
            except OSError:
                continue
            if retry.kind == "submission" and submission_acknowledged(reply.status, reply.location):
                assert retry.draft is not None
                self.references.append((retry.draft.pk, self.reference(retry, client)))
                self.retried["submission"] += 1
            elif retry.kind == "vote" and reply.status == 200:
                assert retry.vote is not None
                self.acknowledged_votes.append(retry.vote)
                self.retried["vote"] += 1


def client(config: dict[str, Any]) -> None:
    workload = FaultWorkload(
        slug=SLUG,
        answers=json.loads(Path(config["answers_file"]).read_text()),
        drafts=drafts_read(Path(config["drafts_file"])),
        when_drafts_run_out="vote",
    )
    stop_event = threading.Event()
    stop_file = Path(config["stop_file"])

    def watch() -> None:
        while not stop_file.exists():
            time.sleep(0.1)
        stop_event.set()

    threading.Thread(target=watch, daemon=True).start()
    phase = closed_loop(
        workload,
        config["port"],
        {"submission": 1, "vote": 1},
        connections=config["connections"],
        seconds=config["max_seconds"],
        seed=config["seed"],
        stop=stop_event,
    )
    # Whatever failed was not acknowledged: a person would press the button again.
    failed_pks = [p.draft.pk for _, p, _ in workload.failed if p.draft is not None]
    retried_at = time.time()
    workload.retry_failed(Client(config["port"]))
    Path(config["client_file"]).write_text(
        json.dumps(
            {
                "summary": kind_summaries([phase]),
                "seconds": phase.elapsed,
                "references": workload.references,
                "votes": workload.acknowledged_votes,
                "failures": [(at, p.kind, reason) for at, p, reason in workload.failed],
                "failed_submission_pks": failed_pks,
                "retried_at": retried_at,
                "retried": workload.retried,
                "acknowledged_without_reference": sum(
                    1 for _, ref in workload.references if not ref
                ),
            }
        )
    )


# --- the driver --------------------------------------------------------------------------------


def environment(cluster: Cluster, scratch: Path, args: argparse.Namespace) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "SECRET_KEY": "bench-" + secrets.token_hex(16),
        "DJANGO_SETTINGS_MODULE": "load_site",
        # The repository root too: the slow task lives in tests/core/tasks_for_tests.py.
        "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO), str(REPO / "src")]),
        "MOOT_VAR_DIR": str(scratch / "var"),
        "SEARCH_INDEX_DIR": str(scratch / "search"),
        "STATIC_ROOT": str(scratch / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",
        "EMAIL_URL": f"file://{scratch / 'mail'}",
        "WORKER_HEARTBEAT_SECONDS": str(args.heartbeat),
        "WORKER_STALE_SECONDS": str(args.stale),
        "LOG_LEVEL": "WARNING",
    }


def scenario(
    args: argparse.Namespace,
    *,
    cluster: Cluster,
    supervisor: Supervisor,
    events: list[Event],
    clock: Any,
    side_effects: Path,
    stop_file: Path,
    port: int,
) -> dict[str, Any]:
    """Kill a worker mid-task, then restart PostgreSQL mid-task and mid-submissions."""
    url = cluster.url
    facts: dict[str, Any] = {}

    def slow_tasks(prefix: str, at: float) -> list[str]:
        while clock() < at:
            time.sleep(0.1)
        labels = [f"{prefix}{n}" for n in range(1, args.tasks + 1)]
        run_python(
            [
                __file__,
                "--enqueue",
                json.dumps(
                    {
                        "labels": labels,
                        "side_effects": str(side_effects),
                        "seconds": args.task_seconds,
                    }
                ),
            ],
            supervisor.env,
            cwd=str(REPO),
        )
        events.append(
            Event(
                clock(),
                f"enqueued {len(labels)} slow tasks "
                f"({args.task_seconds:g} s each): {labels[0]}–{labels[-1]}",
            )
        )
        return labels

    killed = slow_tasks("kill-", 2.0)
    running = wait_until(lambda: tasks_running(url, killed), timeout=60)
    if not running:
        raise RuntimeError("no slow task started within a minute")
    label, worker_id = running[0]
    pid = int(worker_id.rsplit("-", 2)[1])
    events.append(Event(clock(), f"worker {pid} started {label}"))
    time.sleep(min(1.0, args.task_seconds / 3))
    supervisor.kill(pid)
    facts["killed"] = {"label": label, "pid": pid}
    events.append(Event(clock(), f"killed worker {pid} (SIGKILL) in the middle of {label}"))

    restarted = slow_tasks("restart-", max(clock() + 2, args.load_seconds * 0.4))
    running = wait_until(lambda: tasks_running(url, restarted), timeout=60)
    if running:
        events.append(
            Event(clock(), f"worker {running[0][1].rsplit('-', 2)[1]} started {running[0][0]}")
        )
    readiness = Readiness(port=port, clock=clock)
    readiness.start()
    began = clock()
    events.append(Event(began, "PostgreSQL restart began (pg_ctl restart -m fast)"))
    restart_wall = time.time()
    cluster.restart()
    ended = clock()
    facts["restart"] = (restart_wall, restart_wall + (ended - began))
    events.append(Event(ended, f"PostgreSQL answers again ({ended - began:.1f} s)"))
    while clock() < max(args.load_seconds, ended + 5):
        time.sleep(0.2)
    readiness.stop()
    if readiness.unready:
        first, last = readiness.unready[0], readiness.unready[-1]
        events.append(
            Event(
                first,
                f"/readyz answered 503 or nothing from here to {last:.1f} "
                f"({len(readiness.unready)} of {readiness.polls} polls)",
            )
        )
    stop_file.touch()
    events.append(Event(clock(), "load stopped; failed requests sent again"))
    return facts


def run(args: argparse.Namespace, cluster: Cluster) -> None:
    root = cluster.root
    scratch = root / "moot"
    scratch.mkdir()
    (scratch / "mail").mkdir()
    logs = root / "logs"
    logs.mkdir()
    side_effects = scratch / "side-effects.txt"
    side_effects.touch()
    print(
        f"moot fault test: a private PostgreSQL {cluster.version} cluster on 127.0.0.1:"
        f"{cluster.port} in {root}"
        + (" (run as postgres through runuser: initdb refuses root)" if cluster.as_user else "")
    )
    cluster.create()
    env = environment(cluster, scratch, args)
    config: dict[str, Any] = {
        "drafts": args.drafts,
        "drafts_file": str(scratch / "drafts.json"),
        "answers_file": str(scratch / "answers.json"),
        "client_file": str(scratch / "client.json"),
        "stop_file": str(scratch / "stop"),
        "side_effects": str(side_effects),
        "mail_dir": str(scratch / "mail"),
        "votes_before": 0,
    }
    run_python([*MOOT[1:], "migrate", "--noinput"], env)
    run_python([*MOOT[1:], "load-demo"], env)
    run_python([__file__, "--prepare", json.dumps(config)], env, cwd=str(REPO))
    import psycopg

    with psycopg.connect(cluster.url) as db:
        row = db.execute("SELECT COUNT(*) FROM parliament_answervote").fetchone()
        config["votes_before"] = int(row[0]) if row else 0
    port = free_port()
    events: list[Event] = []
    began = time.monotonic()

    def clock() -> float:
        return time.monotonic() - began

    supervisor = Supervisor(env=env, logs=logs, count=2, events=events, clock=clock)
    web_log = (logs / "web.log").open("wb")
    server = client_process = None
    try:
        server = start(
            [
                *MOOT,
                "serve",
                "--production",
                "--port",
                str(port),
                "--workers",
                "2",
                "--threads",
                "4",
            ],
            env,
            stdout=subprocess.DEVNULL,
            stderr=web_log,
        )
        wait_until_ready(port, server)
        supervisor.start()
        print(
            f"moot: gunicorn 2 web processes × 4 threads, 2 moot workers (heartbeat every "
            f"{args.heartbeat} s, a silent worker's task requeued after {args.stale} s), "
            f"{args.connections} client connections sending submissions and votes"
        )
        config.update(
            port=port,
            connections=args.connections,
            seed=args.seed,
            max_seconds=args.load_seconds * 4,
        )
        began = time.monotonic()
        client_process = start([sys.executable, __file__, "--client", json.dumps(config)], env)
        facts = scenario(
            args,
            cluster=cluster,
            supervisor=supervisor,
            events=events,
            clock=clock,
            side_effects=side_effects,
            stop_file=Path(config["stop_file"]),
            port=port,
        )
        if client_process.wait(timeout=600) != 0:
            raise RuntimeError("the client failed")
        drained = wait_until(lambda: tasks_waiting(cluster.url) == 0, timeout=args.drain_timeout)
        events.append(
            Event(clock(), "task queue drained" if drained else "the task queue did NOT drain")
        )
    finally:
        if client_process is not None:
            stop(client_process)
        supervisor.stop_all()
        if server is not None:
            stop(server)
        web_log.close()
    counted = json.loads(run_python([__file__, "--count", json.dumps(config)], env, cwd=str(REPO)))
    client_results = json.loads(Path(config["client_file"]).read_text())
    report(args, events, facts, counted, client_results, supervisor)


def report(
    args: argparse.Namespace,
    events: list[Event],
    facts: dict[str, Any],
    counted: dict[str, Any],
    client_results: dict[str, Any],
    supervisor: Supervisor,
) -> None:
    print("\nWhat happened (seconds from the start of the load):")
    for event in sorted(events, key=lambda e: e.at):
        print(f"  {event.at:6.1f}  {event.text}")
    summary = client_results["summary"]
    print(f"\nLoad: {client_results['seconds']:.0f} s, closed loop")
    for kind, figures in summary.items():
        print(
            f"  {kind:<11}{figures['requests']:6} sent, {figures['rate']:6.1f}/s, "
            f"p50 {figures['p50_ms']:6.1f} ms, p99 {figures['p99_ms']:7.1f} ms, "
            f"failed {figures['failures']}"
        )
    begin, end = facts["restart"]
    failures = client_results["failures"]
    during = [f for f in failures if begin - 0.5 <= f[0] <= end + 2]
    outside = [f for f in failures if f not in during]
    reasons = Counter(f"{kind} {reason}" for _, kind, reason in failures)
    print(
        f"  requests that failed: {len(failures)} ({len(during)} while PostgreSQL restarted, "
        f"{len(outside)} at other times)"
        + (f": {', '.join(f'{r} ×{n}' for r, n in sorted(reasons.items()))}" if reasons else "")
    )
    retried = client_results["retried"]
    print(
        "  none of them acknowledged (an acknowledgement is a redirect to the confirmation "
        "page, or a vote's tally); sent again afterwards: "
        f"{retried.get('submission', 0)} submissions and {retried.get('vote', 0)} votes "
        f"acknowledged; {counted['failed_but_stored']} of the failed submissions had in fact "
        "been stored before they were sent again (the retry got that response and its "
        "reference back)"
    )
    print("\nResponses and votes:")
    ok_responses = counted["responses_same_reference"] == counted["responses_acknowledged"]
    print(
        f"  responses acknowledged {counted['responses_acknowledged']}, stored with the "
        f"reference the person was shown {counted['responses_same_reference']}; "
        f"responses stored in all {counted['responses_stored']}"
    )
    if client_results["acknowledged_without_reference"]:
        print(
            f"  ({client_results['acknowledged_without_reference']} confirmation pages never "
            "showed their reference)"
        )
    ok_votes = counted["votes_found"] == counted["votes_acknowledged"]
    print(
        f"  votes acknowledged {counted['votes_acknowledged']}, stored "
        f"{counted['votes_found']}; votes stored in all {counted['votes_stored']}"
    )
    print("\nTasks:")
    slow = counted["slow_tasks"]
    finished = [task for task in slow if task["status"] == "SUCCESSFUL"]
    once = all(task["side_effects"] == 1 for task in finished) and counted[
        "side_effect_lines"
    ] == len(finished)
    print(
        f"  slow tasks enqueued {len(slow)}, finished successfully {len(finished)}; "
        f"side effects {counted['side_effect_lines']} lines"
    )
    for task in slow:
        note = ""
        if task["label"] == facts["killed"]["label"]:
            note = "  ← its first worker was killed mid-task"
        print(
            f"    {task['label']:<10} {task['status']:<11} claimed {task['claims']}×, "
            f"side effect {task['side_effects']}×{note}"
        )
    receipts_ok = counted["receipts_twice"] == 0 and counted["receipts_missing"] == 0
    print(
        f"  receipts (a task per response): {counted['receipt_tasks']}; emails "
        f"{counted['receipts_sent']} for {counted['responses_stored']} responses, "
        f"{counted['receipts_twice']} sent twice, {counted['receipts_missing']} missing"
    )
    print(
        "  worker exits: "
        + (
            "; ".join(f"{pid}: status {code} ({why})" for pid, code, why in supervisor.exits)
            or "none"
        )
    )
    waited = sum(
        path.read_text(errors="replace").count("could not record a task's outcome")
        for path in supervisor.log_paths.values()
    )
    print(
        f"  times a worker wrote a task's outcome again after losing its database connection: "
        f"{waited}"
    )
    checks = [
        ("every acknowledged response stored", ok_responses),
        ("every acknowledged vote stored", ok_votes),
        ("every task finished", len(finished) == len(slow)),
        ("each side effect exactly once", once),
        ("each receipt sent once", receipts_ok),
    ]
    print("\n" + verdicts(checks))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--load-seconds", type=float, default=30, help="How long the load runs.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--drafts", type=int, default=10_000)
    parser.add_argument("--tasks", type=int, default=4, help="Slow tasks in each batch.")
    parser.add_argument("--task-seconds", type=float, default=4, help="How long each one sleeps.")
    parser.add_argument("--heartbeat", type=int, default=1, help="WORKER_HEARTBEAT_SECONDS")
    parser.add_argument("--stale", type=int, default=8, help="WORKER_STALE_SECONDS")
    parser.add_argument("--drain-timeout", type=float, default=180)
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder (logs).")
    args = arguments(
        parser, {"prepare": prepare, "enqueue": enqueue, "client": client, "count": count}
    )
    if args is None:
        return
    root = Path(tempfile.mkdtemp(prefix="moot-faults-"))
    cluster = Cluster(root)
    try:
        with terminated_as_interrupt():
            run(args, cluster)
    except KeyboardInterrupt:
        print("\nInterrupted: stopping every process and removing the cluster.", flush=True)
        raise SystemExit(130) from None
    finally:
        # run() stops the processes it started; the cluster and the folder go here, whatever
        # happened.
        cluster.remove()
        if args.keep:
            print(f"(kept {root})")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
