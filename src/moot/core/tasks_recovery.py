"""Tasks survive the death of the worker running them.

Every `moot worker` records a heartbeat every few seconds. A periodic job finds tasks still
marked as running whose worker has not been heard from for ``WORKER_STALE_SECONDS`` and puts them
back in the queue, so another worker runs them; a task abandoned ``MAX_ATTEMPTS`` times is
marked failed instead, so that a task which kills its worker cannot loop for ever. Tasks are
therefore run at least once and recorded as finished exactly once; moot's task bodies are
written to be safe to run again.

A task that finishes while the database is away (a restart, a failover) keeps its outcome
until the database answers again (``result_record``), rather than losing it with its worker
and being run a second time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Q
from django.utils import timezone

from moot.core.models import WorkerHeartbeat

MAX_ATTEMPTS = 5
logger = logging.getLogger(__name__)


def beat_every() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS)


def stale_after() -> dt.timedelta:
    """How long a worker may go unheard before its running task is given to another."""
    return dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)


def heartbeat_beat(*, worker_id: str, started_at: dt.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen_at": timezone.now(),
        },
    )


def heartbeat_stop(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


@dataclass(frozen=True)
class RecoveryReport:
    requeued: int
    failed: int


def tasks_requeue_abandoned(*, now: dt.datetime | None = None) -> RecoveryReport:
    """Put back in the queue the running tasks whose worker has gone quiet.

    Each change is a conditional update on the task's claim time, so two recovery runs (or a
    worker finishing the task meanwhile) cannot both act on it.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - stale_after()
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    requeued = failed = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).filter(
        Q(started_at__lt=cutoff) | Q(started_at__isnull=True)
    )
    for task in running.only("id", "worker_ids", "started_at"):
        worker_ids = list(task.worker_ids or [])
        if worker_ids and worker_ids[-1] in alive:
            continue
        same_claim = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(worker_ids) >= MAX_ATTEMPTS:
            failed += same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="moot.core.tasks_recovery.AbandonedTask",
                traceback=f"Abandoned by {len(worker_ids)} workers that stopped while running it.",
            )
        else:
            requeued += same_claim.update(
                status=TaskResultStatus.READY, started_at=None, run_after=now
            )
    return RecoveryReport(requeued=requeued, failed=failed)


def heartbeats_prune(*, now: dt.datetime | None = None) -> int:
    """Forget workers not heard from for a day."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=1)
    deleted, _ = WorkerHeartbeat.objects.filter(last_seen_at__lt=cutoff).delete()
    return deleted


def result_record(
    *, record: Callable[[], None], using: str, patience: dt.timedelta | None = None
) -> None:
    """Write a finished task's outcome (``record``), reconnecting and trying again while the
    database cannot be reached, for up to ``patience`` (default: ``stale_after()``, the time
    after which the task is given to another worker anyway).

    The task's work is done by then: if its outcome were lost with the worker, the task would
    be run again once the database came back. Raises the last error once patience runs out.
    """
    deadline = time.monotonic() + (patience or stale_after()).total_seconds()
    pause = 0.2
    while True:
        try:
            record()
            return
        except DatabaseError:
            if time.monotonic() + pause > deadline:
                raise
            logger.warning("could not record a task's outcome; trying again", exc_info=True)
            connections[using].close()
            time.sleep(pause)
            pause = min(pause * 2, 5.0)
