import os
import subprocess
import sys

from moot.cli import usage


def test_help_lists_moot_commands() -> None:
    text = usage()
    for command in ["serve", "worker", "migrate", "createsuperuser", "load-demo"]:
        assert f"  {command} " in text


# The embedded default needs no secret; a production DATABASE_URL needs one given.
ENV = {**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "cli-test-secret")}


def test_moot_help_runs_as_a_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "moot.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    assert "usage: moot COMMAND" in result.stdout
    assert "load-demo" in result.stdout


def test_hyphenated_commands_reach_django_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "moot.cli", "load-demo", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    assert "Idempotent" in result.stdout
