"""Periodic jobs run by ``moot worker``, without an external cron.

Apps register jobs in their ``AppConfig.ready()``. A *cluster* job (sending alerts, purging
personal data) runs once per interval across all workers sharing the database; a *local* job
(keeping this machine's search index up to date) runs in every worker process.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

Scope = Literal["cluster", "local"]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    run: Callable[[], object]
    scope: Scope
    # How long a claimed cluster job stays claimed if its worker dies without finishing.
    lease: dt.timedelta


_jobs: dict[str, PeriodicJob] = {}


def register_periodic(
    *,
    name: str,
    every: dt.timedelta,
    run: Callable[[], object],
    scope: Scope = "cluster",
    lease: dt.timedelta = dt.timedelta(minutes=30),
) -> None:
    _jobs[name] = PeriodicJob(name=name, every=every, run=run, scope=scope, lease=lease)


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def claim_cluster_job(*, job: PeriodicJob, worker_id: str, now: dt.datetime) -> bool:
    """Claim ``job`` if it is due and unclaimed. At most one worker wins each run."""
    from moot.core.models import PeriodicJobState

    PeriodicJobState.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    claimed = PeriodicJobState.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now),
        name=job.name,
        next_run_at__lte=now,
    ).update(locked_until=now + job.lease, locked_by=worker_id, last_started_at=now)
    return claimed == 1


def finish_cluster_job(*, job: PeriodicJob, worker_id: str, error: str = "") -> None:
    from moot.core.models import PeriodicJobState

    now = timezone.now()
    PeriodicJobState.objects.filter(name=job.name, locked_by=worker_id).update(
        locked_until=None,
        locked_by="",
        last_finished_at=now,
        next_run_at=now + job.every,
        last_error=error,
    )


def run_due_jobs(*, worker_id: str, last_local_runs: dict[str, dt.datetime]) -> list[str]:
    """Run every job that is due now; returns the names of those run."""
    ran = []
    for job in registered_jobs():
        now = timezone.now()
        if job.scope == "local":
            last = last_local_runs.get(job.name)
            if last is not None and now - last < job.every:
                continue
            last_local_runs[job.name] = now
            _run(job)
        else:
            if not claim_cluster_job(job=job, worker_id=worker_id, now=now):
                continue
            error = _run(job)
            finish_cluster_job(job=job, worker_id=worker_id, error=error)
        ran.append(job.name)
    return ran


def _run(job: PeriodicJob) -> str:
    try:
        job.run()
    except Exception:
        logger.exception("periodic job %s failed", job.name)
        return traceback.format_exc()
    return ""


class Scheduler(threading.Thread):
    """Beats the worker's heartbeat and runs due periodic jobs every ``tick`` seconds.

    The heartbeat runs in this thread, not the one running tasks, so a long task does not
    make its worker look dead.
    """

    def __init__(self, *, worker_id: str, tick: float = 1.0, periodic: bool = True) -> None:
        super().__init__(name="moot-scheduler", daemon=True)
        self.worker_id = worker_id
        self.tick = tick
        self.periodic = periodic
        self.stopped = threading.Event()
        self.last_local_runs: dict[str, dt.datetime] = {}
        self.started_at = timezone.now()
        self.last_beat: dt.datetime | None = None

    def beat(self) -> None:
        from moot.core.tasks_recovery import beat_every, heartbeat_beat

        now = timezone.now()
        if self.last_beat is None or now - self.last_beat >= beat_every():
            heartbeat_beat(worker_id=self.worker_id, started_at=self.started_at)
            self.last_beat = now

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            try:
                self.beat()
                if self.periodic:
                    run_due_jobs(worker_id=self.worker_id, last_local_runs=self.last_local_runs)
            except Exception:
                logger.exception("scheduler tick failed")
            self.stopped.wait(self.tick)
        close_old_connections()

    def stop(self) -> None:
        self.stopped.set()
