"""A task whose worker dies is run by another worker, and recorded as finished once."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from moot.core.tasks_recovery import heartbeat_beat, tasks_requeue_abandoned
from tests.core.tasks_for_tests import append_line

REPO = Path(__file__).resolve().parents[2]


def running_task(tmp_path: Path, *, worker: str, minutes_ago: int, claims: int = 1) -> DBTaskResult:
    result = append_line.enqueue(path=str(tmp_path / "out.txt"), text="x")
    row = DBTaskResult.objects.get(pk=result.id)
    for attempt in range(claims):
        row.claim(f"{worker}-{attempt}" if attempt < claims - 1 else worker)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return DBTaskResult.objects.get(pk=row.pk)


@pytest.mark.django_db
def test_a_task_of_a_silent_worker_goes_back_in_the_queue(tmp_path: Path) -> None:
    task = running_task(tmp_path, worker="dead", minutes_ago=5)
    assert tasks_requeue_abandoned().requeued == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.worker_ids == ["dead"]  # the history is kept
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()


@pytest.mark.django_db
def test_a_task_of_a_live_worker_is_left_alone(tmp_path: Path) -> None:
    task = running_task(tmp_path, worker="alive", minutes_ago=5)
    heartbeat_beat(worker_id="alive", started_at=timezone.now())
    assert tasks_requeue_abandoned().requeued == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_task_started_moments_ago_is_left_alone(tmp_path: Path) -> None:
    running_task(tmp_path, worker="unknown", minutes_ago=0)
    assert tasks_requeue_abandoned().requeued == 0


@pytest.mark.django_db
def test_a_task_that_keeps_killing_workers_is_failed(tmp_path: Path) -> None:
    task = running_task(tmp_path, worker="dead", minutes_ago=5, claims=5)
    report = tasks_requeue_abandoned()
    assert (report.requeued, report.failed) == (0, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert "Abandoned by 5 workers" in task.traceback


def test_killing_a_worker_mid_task_loses_nothing(tmp_path: Path) -> None:
    """Two real `moot worker` processes; the one running the task is killed with SIGKILL."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(
        MOOT_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(REPO),
        WORKER_HEARTBEAT_SECONDS="1",
        WORKER_STALE_SECONDS="3",
    )
    moot = [sys.executable, "-m", "moot.cli"]
    subprocess.run([*moot, "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
    out = tmp_path / "out.txt"
    enqueue = (
        "from tests.core.tasks_for_tests import append_line; "
        f"print(append_line.enqueue(path={str(out)!r}, text='done', seconds=12).id)"
    )
    task_id = subprocess.run(  # noqa: S603
        [*moot, "shell", "--no-imports", "-c", enqueue],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    first = subprocess.Popen([*moot, "worker", "--interval", "0.2"], env=env)  # noqa: S603
    status = [
        *moot,
        "shell",
        "--no-imports",
        "-c",
        "from django_tasks_db.models import DBTaskResult as T; "
        f"t = T.objects.get(pk='{task_id}'); print(t.status, len(t.worker_ids))",
    ]
    try:
        deadline = time.monotonic() + 30
        while (
            "RUNNING"
            not in subprocess.run(  # noqa: S603
                status, env=env, capture_output=True, text=True, check=True
            ).stdout
        ):
            assert time.monotonic() < deadline, "the first worker never started the task"
            time.sleep(0.3)
        first.send_signal(signal.SIGKILL)
        first.wait()
        second = subprocess.Popen([*moot, "worker", "--interval", "0.2"], env=env)  # noqa: S603
        try:
            deadline = time.monotonic() + 40
            while True:
                state = subprocess.run(  # noqa: S603
                    status, env=env, capture_output=True, text=True, check=True
                ).stdout.split()
                if state[0] == "SUCCESSFUL":
                    break
                assert time.monotonic() < deadline, f"the task never finished: {state}"
                time.sleep(0.5)
        finally:
            second.terminate()
            second.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert state == ["SUCCESSFUL", "2"]  # claimed by both workers, finished once
    assert out.read_text() == "done\n"  # the killed run never got to its side effect


@pytest.mark.django_db(transaction=True)
def test_a_task_that_finishes_while_the_database_is_away_is_recorded_once(
    tmp_path: Path,
) -> None:
    """The database goes away (a restart) after the task's work and before its outcome is
    written. The worker waits for it to come back and records the outcome, instead of dying
    and leaving the task to be run a second time."""
    out = tmp_path / "out.txt"
    result = append_line.enqueue(path=str(out), text="done")
    outage_ends: list[float] = []

    def database_away_for_a_second(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        writes_outcome = sql.lstrip().upper().startswith("UPDATE") and "SUCCESSFUL" in (
            params or ()
        )
        if writes_outcome and not outage_ends:
            outage_ends.append(time.monotonic() + 1.0)
        if outage_ends and time.monotonic() < outage_ends[0]:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(database_away_for_a_second):
        call_command("worker", "--batch", "--no-periodic", "--interval", "0")
    row = DBTaskResult.objects.get(pk=result.id)
    assert outage_ends, "the outcome was never written"
    assert (row.status, len(row.worker_ids)) == (TaskResultStatus.SUCCESSFUL, 1)
    assert out.read_text() == "done\n"  # run once
