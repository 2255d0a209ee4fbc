"""Pieces the HTTP benchmarks share: processes, ports, a scratch PostgreSQL database, a
keep-alive HTTP client, latency summaries, and consultation response drafts to submit.

Used by ``responses.py``, ``load.py`` and ``faults.py``; never by moot itself.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
SUBMIT_CHECK = "/consultations/{slug}/respond/check/"
TASK_TABLE = "django_tasks_database_dbtaskresult"


# --- processes and ports ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_python(args: list[str], env: dict[str, str], **kwargs: object) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )
    return str(result.stdout)


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start on port {port}")


def wait_until_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Wait for moot's readiness endpoint to answer 200 (database up, migrations applied)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode} at start")
        try:
            if Client(port, timeout=5).request("GET", "/readyz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"moot did not become ready on port {port}")


def start(args: Sequence[str], env: dict[str, str], **kwargs: object) -> subprocess.Popen[bytes]:
    """Start a process in its own session, so it and its children can be stopped together
    and a Ctrl-C at the terminal reaches only the benchmark, which then stops them."""
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        list(args), env=env, cwd=str(REPO), start_new_session=True, **kwargs
    )


def stop(process: subprocess.Popen[bytes], *, timeout: float = 30) -> None:
    """SIGTERM to the process's group, then SIGKILL if it has not gone within ``timeout``."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def terminated_as_interrupt() -> Iterator[None]:
    """SIGTERM (and SIGHUP) end the run like Ctrl-C, so that the cleanup below still runs."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def tasks_waiting(url: str) -> int:
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as db:
        row = db.execute(
            f"SELECT COUNT(*) FROM {TASK_TABLE} WHERE status IN ('READY', 'RUNNING')"  # noqa: S608
        ).fetchone()
    return int(row[0]) if row else 0


def wait_until(condition: Any, *, timeout: float, every: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            found = condition()
            if found:
                return found
        time.sleep(every)
    return None


def run_psql(sql: str, server: str = POSTGRES) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def arguments(
    parser: argparse.ArgumentParser, steps: dict[str, Callable[[dict[str, Any]], None]]
) -> argparse.Namespace | None:
    """Parse the command line. A benchmark runs some of its steps in subprocesses, as
    ``script --<step> '<json config>'``: when such a step is asked for, run it and return
    None."""
    for name in steps:
        parser.add_argument(f"--{name}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    for name, step in steps.items():
        config = getattr(args, name)
        if config:
            step(json.loads(config))
            return None
    return args


def verdicts(checks: list[tuple[str, bool]]) -> str:
    """``label: yes; other label: NO`` — figures against their targets, never assertions."""
    return "; ".join(f"{label}: {'yes' if ok else 'NO'}" for label, ok in checks)


# --- HTTP ---------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    location: str
    body: bytes


class Client:
    """One keep-alive connection. A request that fails on a connection the server may have
    closed while it sat idle is sent once more on a new one, as browsers do; a request that
    fails on a new connection raises."""

    def __init__(self, port: int, timeout: float = 120) -> None:
        self.port = port
        self.timeout = timeout
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        *,
        body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        for attempt in range(2):
            reused = self.connection is not None
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout
                )
            try:
                self.connection.request(
                    method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})}
                )
                response = self.connection.getresponse()
                content = response.read()
                return Reply(response.status, response.getheader("Location", ""), content)
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt or not reused:
                    raise
        raise RuntimeError("unreachable")

    def post(self, path: str, body: str, cookie: str) -> tuple[int, str]:
        reply = self.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        return reply.status, reply.location

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def summarise(
    latencies: list[float], acknowledged: int, failures: list[int], elapsed: float
) -> dict[str, object]:
    """Rate, p50 and p99 of one phase (or one kind of request in it)."""
    ordered = sorted(latencies) or [0.0]
    return {
        "requests": len(latencies),
        "acknowledged": acknowledged,
        "failures": len(failures),
        "failure_statuses": sorted(set(failures)),
        "seconds": elapsed,
        "rate": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


# --- response drafts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A complete draft response, ready to be sent from Check your answers."""

    resume_token: str
    submission_token: str

    @property
    def pk(self) -> int:
        return int(self.resume_token.partition("-")[0])


@dataclass
class Submission:
    """The "Send response" request for one draft, as a browser sends it."""

    path: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_draft(cls, draft: Draft, *, slug: str, forwarded_for: str = "") -> Submission:
        csrf = secrets.token_hex(16)
        body = urlencode(
            {"csrfmiddlewaretoken": csrf, "submission_token": draft.submission_token, "website": ""}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}; moot_response={draft.resume_token}",
        }
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        return cls(SUBMIT_CHECK.format(slug=slug), body, headers)


def submission_acknowledged(status: int, location: str) -> bool:
    """moot acknowledges a response by sending the browser to the confirmation page."""
    return status == 302 and location.endswith("/respond/confirmation/")


def drafts_prepare(*, slug: str, count: int, department_slug: str = "bench") -> list[Draft]:
    """Create an open consultation with the demo questionnaire and ``count`` complete drafts.

    Runs inside a process whose Django is set up against the scratch database.
    """
    import datetime as dt

    from django.utils import timezone

    from moot.consultations.models import Answer, Channel, Consultation, Response, ResponseStatus
    from moot.consultations.services.responses import response_resume_token
    from moot.core.models import Department
    from moot.demo.responses import questionnaire_build

    department, _ = Department.objects.get_or_create(
        slug=department_slug, defaults={"name": "Department of Benchmarks"}
    )
    now = timezone.now()
    consultation = Consultation.objects.create(
        slug=slug,
        title="Benchmark consultation",
        department=department,
        summary="A consultation for the benchmark.",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        published_at=now - dt.timedelta(days=2),
    )
    questionnaire_build(consultation)
    questions = {q.key: q for q in consultation.questions.all()}
    options = {key: list(q.options.all()) for key, q in questions.items()}
    drafts = Response.objects.bulk_create(
        [
            Response(
                consultation=consultation,
                channel=Channel.ONLINE,
                status=ResponseStatus.DRAFT,
                resume_nonce=secrets.token_hex(16),
                respondent_name=f"Respondent {n}",
                respondent_email=f"respondent{n}@example.org",
                respondent_type="individual",
                region="london",
                wants_confidentiality=False,
                publication_consent="anonymously",
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    answers = Answer.objects.bulk_create(
        [
            Answer(response=draft, question=questions[key], text="Clearer." if key == "q4" else "")
            for draft in drafts
            for key in ("q1", "q3", "q4")
        ],
        batch_size=2000,
    )
    through = Answer.selected_options.through
    through.objects.bulk_create(
        [
            through(answer_id=answer.pk, questionoption_id=options[answer.question.key][n % 3].pk)
            for n, answer in enumerate(answers)
            if answer.question.key in ("q1", "q3")
        ],
        batch_size=2000,
    )
    return [Draft(response_resume_token(response=d), str(d.submission_token)) for d in drafts]


def drafts_write(drafts: list[Draft], out: Path) -> None:
    out.write_text(json.dumps([[d.resume_token, d.submission_token] for d in drafts]))


def drafts_read(path: Path) -> list[Draft]:
    return [Draft(resume, submission) for resume, submission in json.loads(path.read_text())]


def responses_submitted(*, slug: str, pks: list[int] | None = None) -> dict[str, int]:
    """How many of the consultation's responses are stored as sent (with a reference), and
    how many of ``pks`` are among them."""
    from moot.consultations.models import Response, ResponseStatus

    sent = Response.objects.filter(consultation__slug=slug).exclude(status=ResponseStatus.DRAFT)
    sent = sent.exclude(reference__isnull=True).exclude(reference="")
    counts = {"stored": sent.count()}
    if pks is not None:
        found = 0
        for start in range(0, len(pks), 5000):
            found += sent.filter(pk__in=pks[start : start + 5000]).count()
        counts["acknowledged_found"] = found
    return counts


# --- a client that looks like many people -----------------------------------------------------


class Addresses:
    """A new client address for every request: 10.0.0.1, 10.0.0.2, … (16 million of them),
    sent in ``X-Forwarded-For`` to a moot that trusts one proxy (``TRUSTED_PROXY_COUNT=1``)."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self.used = 0

    def next(self) -> str:
        with self._lock:
            number = next(self._numbers)
            self.used = number
        return f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"


@dataclass
class Planned:
    """One request about to be sent, and what it is for."""

    kind: str
    method: str
    path: str
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    draft: Draft | None = None
    vote: tuple[int, str, str] | None = None  # answer id, client address, "yes" or "no"


@dataclass
class Workload:
    """Plans requests of each kind and keeps what moot acknowledged.

    Kinds: ``baseline`` (the minimal view of ``load_urls``), ``question`` (a question page),
    ``cached`` (the same page's bytes from a cache, ``load_urls``), ``search``,
    ``submission`` (a prepared draft sent from Check your answers) and ``vote`` (Yes or No
    on an answer, as the page's script sends it).
    """

    slug: str
    questions: list[str] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    addresses: Addresses = field(default_factory=Addresses)
    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged_drafts: list[int] = field(default_factory=list)
    acknowledged_votes: list[tuple[int, str, str]] = field(default_factory=list)
    drafts_ran_out: bool = False
    when_drafts_run_out: str = "question"

    def plan(self, kind: str, rng: random.Random) -> Planned:
        address = self.addresses.next()
        headers = {"X-Forwarded-For": address}
        if kind == "baseline":
            return Planned(kind, "GET", "/bench/minimal/", headers=headers)
        if kind == "question":
            return Planned(kind, "GET", rng.choice(self.questions), headers=headers)
        if kind == "cached":
            return Planned(kind, "GET", "/bench/cached" + rng.choice(self.questions))
        if kind == "search":
            query = quote_plus(rng.choice(self.queries))
            return Planned(kind, "GET", f"/search/?q={query}", headers=headers)
        if kind == "submission":
            with self.lock:
                draft = self.drafts.pop() if self.drafts else None
            if draft is None:
                self.drafts_ran_out = True
                return self.plan(self.when_drafts_run_out, rng)
            sent = Submission.for_draft(draft, slug=self.slug, forwarded_for=address)
            return Planned(kind, "POST", sent.path, sent.body, sent.headers, draft=draft)
        if kind == "vote":
            answer, side = rng.choice(self.answers), rng.choice(("yes", "no"))
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                    "Origin": "http://127.0.0.1",
                    "Sec-Fetch-Site": "same-origin",
                }
            )
            path = f"/written-questions/answers/{answer}/vote/"
            return Planned(
                kind, "POST", path, f"vote={side}", headers, vote=(answer, address, side)
            )
        raise ValueError(kind)

    def outcome(self, planned: Planned, reply: Reply, client: Client) -> str | None:
        """None when moot did what was asked (and said so), else why not."""
        if planned.kind == "submission":
            if not submission_acknowledged(reply.status, reply.location):
                return str(reply.status)
            assert planned.draft is not None
            with self.lock:
                self.acknowledged_drafts.append(planned.draft.pk)
            return None
        if planned.kind == "vote":
            if reply.status != 200 or b'"yes"' not in reply.body:
                return str(reply.status)
            assert planned.vote is not None
            with self.lock:
                self.acknowledged_votes.append(planned.vote)
            return None
        return None if reply.status == 200 else str(reply.status)

    def error(self, planned: Planned, error: Exception) -> str:
        """The request got no answer at all."""
        return type(error).__name__


@dataclass
class Phase:
    """What a closed-loop phase saw, per kind of request."""

    elapsed: float
    client_cpu: float
    latencies: dict[str, list[float]]
    failures: dict[str, list[str]]


def closed_loop(
    workload: Workload,
    port: int,
    mix: dict[str, int],
    *,
    connections: int,
    seconds: float,
    seed: int,
    stop: threading.Event | None = None,
) -> Phase:
    """``connections`` clients on keep-alive connections, each sending its next request as
    soon as the last is answered, the kind drawn from ``mix`` by weight; for ``seconds``, or
    until ``stop`` is set."""
    kinds, weights = list(mix), list(mix.values())
    deadline = time.perf_counter() + seconds
    per_thread: list[tuple[dict[str, list[float]], dict[str, list[str]]]] = []

    def run(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        client = Client(port, timeout=60)
        latencies: dict[str, list[float]] = defaultdict(list)
        failures: dict[str, list[str]] = defaultdict(list)
        per_thread.append((latencies, failures))
        while time.perf_counter() < deadline and not (stop and stop.is_set()):
            planned = workload.plan(rng.choices(kinds, weights)[0], rng)
            started = time.perf_counter()
            try:
                reply = client.request(
                    planned.method, planned.path, body=planned.body, headers=planned.headers
                )
            except (http.client.HTTPException, OSError) as error:
                failure: str | None = workload.error(planned, error)
            else:
                failure = workload.outcome(planned, reply, client)
            latencies[planned.kind].append(time.perf_counter() - started)
            if failure:
                failures[planned.kind].append(failure)
        client.close()

    started = time.perf_counter()
    cpu_started = os.times()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = os.times()
    phase = Phase(
        elapsed=time.perf_counter() - started,
        client_cpu=cpu.user + cpu.system - cpu_started.user - cpu_started.system,
        latencies=defaultdict(list),
        failures=defaultdict(list),
    )
    for latencies, failures in per_thread:
        for kind, values in latencies.items():
            phase.latencies[kind].extend(values)
        for kind, reasons in failures.items():
            phase.failures[kind].extend(reasons)
    return phase


def kind_summaries(phases: list[Phase]) -> dict[str, dict[str, object]]:
    """Per kind over one phase or several slices: rate over their total time, p50, p99, and
    failures counted by reason (an HTTP status, or the exception when there was no answer)."""
    elapsed = sum(phase.elapsed for phase in phases)
    latencies: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, list[str]] = defaultdict(list)
    for phase in phases:
        for kind, values in phase.latencies.items():
            latencies[kind].extend(values)
        for kind, reasons in phase.failures.items():
            failures[kind].extend(reasons)
    summaries = {}
    for kind, values in latencies.items():
        summary = summarise(values, len(values) - len(failures[kind]), [], elapsed)
        summary["failures"] = len(failures[kind])
        summary["failure_statuses"] = sorted(Counter(failures[kind]).items())
        summaries[kind] = summary
    return summaries


def votes_stored(votes: list[tuple[int, str, str]]) -> int:
    """How many of these votes (answer id, client address, side) are stored as cast: a
    cookieless voter is the keyed hash of their address (``parliament.voting``)."""
    from moot.core.ratelimit import ip_hash
    from moot.parliament.models import AnswerVote

    wanted = {
        (answer, "ip:" + ip_hash(address, purpose="answer-vote")): side
        for answer, address, side in votes
    }
    keys = [key for _, key in wanted]
    found = 0
    for start_at in range(0, len(keys), 2000):
        rows = AnswerVote.objects.filter(voter_key__in=keys[start_at : start_at + 2000])
        for answer_id, voter_key, side in rows.values_list(
            "answer_id", "voter_key", "answers_question"
        ):
            found += wanted.get((answer_id, voter_key)) == ("yes" if side else "no")
    return found
