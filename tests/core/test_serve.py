"""`moot serve`: the worker is supervised, and a configuration that cannot serve pages is
refused with a message instead of answering every page with a 500."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from moot.core.management.commands.serve import WorkerSupervisor


def test_a_worker_that_dies_is_started_again_with_back_off(tmp_path: Path) -> None:
    log = tmp_path / "starts"
    # A "worker" that records its start and dies at once.
    command = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('x'); raise SystemExit(3)"]
    supervisor = WorkerSupervisor(command, backoff=0.2, max_backoff=0.8, healthy_after=60)
    supervisor.start()
    try:
        deadline = time.monotonic() + 10
        while len(log.read_text() if log.exists() else "") < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        supervisor.stop()
    assert len(log.read_text()) >= 4
    gaps = [b - a for a, b in zip(supervisor.starts, supervisor.starts[1:], strict=False)]
    # Each wait is longer than the one before, up to the cap.
    assert gaps[0] >= 0.2
    assert gaps[1] >= 0.4
    assert gaps[2] >= 0.8
    assert not supervisor.is_alive()


def test_stop_ends_a_running_worker(tmp_path: Path) -> None:
    supervisor = WorkerSupervisor([sys.executable, "-c", "import time; time.sleep(60)"])
    supervisor.start()
    deadline = time.monotonic() + 5
    while supervisor.process is None and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.monotonic()
    supervisor.stop()
    assert time.monotonic() - started < 10
    assert supervisor.process is not None
    assert supervisor.process.poll() is not None
    assert len(supervisor.starts) == 1


def test_serve_with_database_url_but_without_production_refuses_and_says_what_to_do(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'moot.sqlite3'}",
        "SECRET_KEY": "serve-test-secret",
        "MOOT_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "moot.cli", "serve", "--port", "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "moot serve --production" in result.stderr
    assert "DATABASE_URL is set" in result.stderr
    assert not list((tmp_path / "var").glob("static/**/*.css"))
