from __future__ import annotations

import os
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils.crypto import get_random_string


class Command(BaseCommand):
    help = (
        "Run background work: tasks from the database queue, and periodic jobs (search "
        "indexing, alerts, retention) without an external cron. Run as many as you like."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls of the queue."
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the tasks that are queued now and the periodic jobs that are due, then exit.",
        )
        parser.add_argument("--no-periodic", action="store_true", help="Only run queued tasks.")

    def handle(self, *args: Any, **options: Any) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        from moot.core.background import Scheduler, run_due_jobs

        worker_id = f"{socket.gethostname()}-{os.getpid()}-{get_random_string(6)}"
        if options["batch"]:
            if not options["no_periodic"]:
                run_due_jobs(worker_id=worker_id, last_local_runs={})
            self._worker(Worker, worker_id, options, batch=True).run()
            return
        from moot.core.tasks_recovery import heartbeat_stop

        scheduler = Scheduler(worker_id=worker_id, periodic=not options["no_periodic"])
        scheduler.beat()
        scheduler.start()
        self.stdout.write(f"moot worker {worker_id} started")
        worker = self._worker(Worker, worker_id, options, batch=False)
        worker.configure_signals()
        try:
            worker.run()
        finally:
            scheduler.stop()
            scheduler.join(timeout=10)
            heartbeat_stop(worker_id=worker_id)

    def _worker(self, worker_class: Any, worker_id: str, options: Any, *, batch: bool) -> Any:
        return _keeping_outcomes(worker_class)(
            queue_names=["*"],
            interval=options["interval"],
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )


def _keeping_outcomes(worker_class: Any) -> Any:
    """The queue's worker, writing each task's outcome with ``tasks_recovery.result_record``
    so that a database restart while a task runs does not lose it (and run the task again)."""
    from moot.core.tasks_recovery import result_record

    def recorded(method: Any, using: str) -> Any:
        def record(*args: Any) -> None:
            result_record(record=lambda: method(*args), using=using)

        return record

    class RecordingWorker(worker_class):
        def run_task(self, db_task_result: Any) -> None:
            using = db_task_result._state.db or DEFAULT_DB_ALIAS
            for name in ("set_successful", "set_failed"):
                setattr(db_task_result, name, recorded(getattr(db_task_result, name), using))
            super().run_task(db_task_result)

    return RecordingWorker
