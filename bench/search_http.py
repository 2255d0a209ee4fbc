"""The search page through HTTP, for the search benchmark: load a database with the corpus,
index it with ``moot reindex``, serve it with ``moot serve`` (gunicorn) and time pages.

Run as a script it is the loader, in a process whose environment points Django at the
database being loaded: ``python bench/search_http.py load ITEMS SEED``.
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

DATABASES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DATABASE = "moot_bench_search"
HERE = Path(__file__).resolve().parent
MOOT = [sys.executable, "-m", "moot.cli"]


def environment(database: str, workdir: Path) -> dict[str, str]:
    var = workdir / f"{database}-var"
    env = {
        **os.environ,
        "MOOT_VAR_DIR": str(var),
        "SEARCH_INDEX_DIR": str(var / "search"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "moot.settings",
    }
    env.pop("DATABASE_URL", None)
    if database == "postgresql":
        env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
        env["SECRET_KEY"] = "benchmark-only"  # noqa: S105 - a throwaway database
        env["STATIC_ROOT"] = str(var / "static")
    return env


def _recreate_postgres_database() -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}"')
        connection.execute(f'CREATE DATABASE "{POSTGRES_DATABASE}"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("moot serve exited before it was ready")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/search/help/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("moot serve did not answer in time")


def measure_pages(
    *,
    database: str,
    items: int,
    seed: int,
    workdir: Path,
    paths: list[tuple[str, str]],
    rounds: int,
    classes: tuple[str, ...],
) -> tuple[dict[str, list[float]], str]:
    env = environment(database, workdir)
    if database == "postgresql":
        _recreate_postgres_database()
    subprocess.run([*MOOT, "migrate", "-v0"], env=env, check=True)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, str(HERE / "search_http.py"), "load", str(items), str(seed)],
        env=env,
        check=True,
    )
    loaded = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([*MOOT, "reindex", "-v0"], env=env, check=True)
    indexed = time.perf_counter() - t0
    load_line = (
        f"{items:,} items loaded in {loaded:.0f} s, indexed from the database by "
        f"moot reindex in {indexed:.0f} s"
    )
    port = _free_port()
    serve = [*MOOT, "serve", "--port", str(port), "--workers", "2", "--threads", "4"]
    serve.append("--production" if database == "postgresql" else "--no-worker")
    process = subprocess.Popen(
        serve,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_for(port, process)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        def fetch(path: str) -> None:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200 or (
                b"moot-search-result" not in body and b"No results" not in body
            ):
                raise RuntimeError(f"{path} answered {response.status}")

        for _, path in paths:
            fetch(path)
        order = [entry for _ in range(rounds) for entry in paths]
        random.Random(seed).shuffle(order)
        timings: dict[str, list[float]] = {klass: [] for klass in classes}
        for klass, path in order:
            t0 = time.perf_counter()
            fetch(path)
            timings[klass].append((time.perf_counter() - t0) * 1000)
        connection.close()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    return timings, load_line


def load(items: int, seed: int) -> None:
    """Load the first ``items`` of the corpus as written questions, with their departments,
    members and parties. Runs inside the environment of the database being loaded."""
    import datetime as dt

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moot.settings")
    django.setup()
    from django.db import transaction
    from django.utils.text import slugify

    from moot.core.models import Department
    from moot.parliament.models import House, Membership, Party, Person, WrittenQuestion
    from search_corpus import DEPARTMENTS, PARTIES, Corpus, member_names

    departments = [
        Department.objects.create(name=name, slug=slugify(name)).pk for name in DEPARTMENTS
    ]
    parties = [Party.objects.create(name=name, slug=slugify(name)) for name in PARTIES]
    people = []
    for number, name in enumerate(member_names(seed)):
        person = Person.objects.create(name=name, slug=slugify(name))
        Membership.objects.create(
            person=person,
            house=House.COMMONS,
            party=parties[number % len(parties)],
            start_date=dt.date(1997, 5, 1),
        )
        people.append((person.pk, name))
    batch: list[WrittenQuestion] = []

    def flush() -> None:
        with transaction.atomic():
            WrittenQuestion.objects.bulk_create(batch)
        batch.clear()

    for item in Corpus(seed=seed).items(items):
        person, name = people[item.member]
        batch.append(
            WrittenQuestion(
                date=item.date,
                identifier=f"q{item.number + 1}",
                heading=item.title[:300],
                department_id=departments[item.department],
                asking_person_id=person,
                asking_name=name,
                text=item.body,
            )
        )
        if len(batch) == 5_000:
            flush()
    if batch:
        flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["load"]:
        load(int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(__doc__)
