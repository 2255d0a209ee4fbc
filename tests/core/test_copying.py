"""Copying moot's data between databases, run as a person would: through the `moot` command."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from moot.core.copying import models_in_order


def moot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "moot.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def embedded(tmp_path: Path) -> dict[str, str]:
    """An embedded moot with the demo loaded, as `make run` leaves it."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env["MOOT_VAR_DIR"] = str(tmp_path / "var")
    for command in (["migrate"], ["load-demo"]):
        result = moot(*command, env=env)
        assert result.returncode == 0, result.stderr
    return env


def test_models_come_after_what_they_refer_to() -> None:
    ordered = [model._meta.label for model in models_in_order()]
    assert ordered.index("core.Department") < ordered.index("consultations.Consultation")
    assert ordered.index("parliament.WrittenQuestion") < ordered.index(
        "parliament.WrittenAnswer_questions"
    )


def test_copies_every_row_and_refuses_a_second_copy(
    embedded: dict[str, str], tmp_path: Path
) -> None:
    source = Path(embedded["MOOT_VAR_DIR"]) / "moot.sqlite3"
    target = tmp_path / "copy.sqlite3"
    result = moot(
        "copy-database",
        "--from",
        f"sqlite:///{source}",
        "--to",
        f"sqlite:///{target}",
        env=embedded,
    )
    assert result.returncode == 0, result.stderr
    assert "every table's count matches" in result.stdout
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        for table in (
            "consultations_consultation",
            "parliament_writtenanswer_questions",
            "consultations_documentrelation",
            "core_user",
        ):
            query = f"SELECT * FROM {table} ORDER BY 1"  # noqa: S608 - fixed table names
            assert old.execute(query).fetchall() == new.execute(query).fetchall(), table
    again = moot(
        "copy-database",
        "--from",
        f"sqlite:///{source}",
        "--to",
        f"sqlite:///{target}",
        env=embedded,
    )
    assert again.returncode != 0
    assert "already holds data" in again.stderr


def test_refuses_copying_a_database_onto_itself(embedded: dict[str, str]) -> None:
    result = moot(
        "copy-database", "--from", "sqlite:///x.db", "--to", "sqlite:///x.db", env=embedded
    )
    assert result.returncode != 0
    assert "same database" in result.stderr


@pytest.fixture
def empty_postgres_database() -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("copies into PostgreSQL on the PostgreSQL run of the suite")
    settings = connection.settings_dict
    name = f"moot_copy_{uuid.uuid4().hex[:8]}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    yield f"postgres://{settings['USER']}@{host}/{name}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_moves_the_embedded_database_to_postgresql(
    embedded: dict[str, str], empty_postgres_database: str
) -> None:
    source = Path(embedded["MOOT_VAR_DIR"]) / "moot.sqlite3"
    result = moot(
        "copy-database",
        "--from",
        f"sqlite:///{source}",
        "--to",
        empty_postgres_database,
        env=embedded,
    )
    assert result.returncode == 0, result.stderr
    production = {**embedded, "DATABASE_URL": empty_postgres_database, "SECRET_KEY": "x"}
    # The copied site works, and new rows get fresh keys after the copied ones.
    check = moot(
        "shell",
        "--no-imports",
        "-c",
        "from moot.core.models import Department as D; "
        "print(D.objects.count()); D.objects.create(name='New', slug='new'); print('ok')",
        env=production,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.split() == ["5", "ok"]
