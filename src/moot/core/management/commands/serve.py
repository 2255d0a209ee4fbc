from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from moot.core.ratelimit import rate_limit_store_description
from moot.core.settings_file import served_site_url, shared_settings_record


class WorkerSupervisor(threading.Thread):
    """Runs the background worker and starts it again whenever it exits, waiting longer
    after each quick death (1 s, 2 s, 4 s … up to ``max_backoff``) so a worker that cannot
    start does not spin; a worker that ran for ``healthy_after`` seconds resets the wait."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        healthy_after: float = 60.0,
    ) -> None:
        super().__init__(name="moot-worker-supervisor", daemon=True)
        self.command = list(command)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.healthy_after = healthy_after
        self.stopped = threading.Event()
        self.process: subprocess.Popen[bytes] | None = None
        self.starts: list[float] = []

    def run(self) -> None:
        wait = self.backoff
        while not self.stopped.is_set():
            started = time.monotonic()
            self.starts.append(started)
            self.process = subprocess.Popen(self.command)  # noqa: S603 - our own command
            code = self.process.wait()
            if self.stopped.is_set():
                return
            if time.monotonic() - started >= self.healthy_after:
                wait = self.backoff
            sys.stderr.write(f"moot worker exited with {code}; starting it again in {wait:g} s\n")
            if self.stopped.wait(wait):
                return
            wait = min(wait * 2, self.max_backoff)

    def stop(self, timeout: float = 30) -> None:
        self.stopped.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.join(timeout=timeout)


def _child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


class Command(BaseCommand):
    help = (
        "Serve moot over HTTP with gunicorn. With the embedded SQLite default it also runs "
        "the background worker alongside, so one command runs everything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Web processes (default: 1 on SQLite, 2 × cores + 1 otherwise).",
        )
        parser.add_argument("--threads", type=int, default=4, help="Threads per web process.")
        parser.add_argument(
            "--production",
            action="store_true",
            help="Collect static files first, and do not start a worker alongside.",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start a background worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        if not options["production"] and not settings.WHITENOISE_USE_FINDERS:
            # With DATABASE_URL set, static files come from a collected manifest: without
            # one every page would fail.
            raise CommandError(
                "DATABASE_URL is set, so moot runs in production mode and serves collected "
                "static files. Run `moot serve --production` (it collects them first)."
            )
        if options["production"]:
            if not os.environ.get("SITE_URL"):
                self.stderr.write(
                    "Warning: SITE_URL is not set, so links in emails, feeds and the API point "
                    f"at {settings.SITE_URL}. Set SITE_URL to moot's public address."
                )
            call_command("collectstatic", interactive=False, verbosity=0)
        elif settings.EMBEDDED:
            # Links must name the port this server is really on, here and in every command.
            site_url = served_site_url(host=options["host"], port=options["port"])
            settings.SITE_URL = site_url
            os.environ["SITE_URL"] = site_url
            recorded = shared_settings_record(site_url=site_url)
            self.stdout.write(f"Settings for moot's commands are in {recorded}.")
        workers = options["workers"] or (1 if settings.EMBEDDED else (os.cpu_count() or 1) * 2 + 1)
        if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            if "prometheus_client" in sys.modules:
                self.stderr.write("prometheus_client was loaded too early: metrics per process")
            # Several processes: each writes its metrics to files that /metrics adds up.
            metrics_dir = settings.VAR_DIR / "prometheus"
            shutil.rmtree(metrics_dir, ignore_errors=True)
            metrics_dir.mkdir(parents=True)
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        # Loaded only now: static files are collected and the metrics mode is chosen.
        from moot.wsgi import application

        gunicorn_options = {
            "bind": f"{options['host']}:{options['port']}",
            "workers": workers,
            "threads": options["threads"],
            "worker_class": "gthread",
            "accesslog": "-",
            "timeout": 60,
            "graceful_timeout": 20,
            "child_exit": _child_exit,
        }

        class MootApplication(BaseApplication):
            def load_config(self) -> None:
                for key, value in gunicorn_options.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        worker = None
        if not (options["production"] or options["no_worker"]):
            worker = WorkerSupervisor([sys.executable, "-m", "moot.cli", "worker"])
            worker.start()
        self.stdout.write(f"moot is serving on http://{options['host']}:{options['port']}/")
        self.stdout.write(rate_limit_store_description())
        try:
            MootApplication().run()
        finally:
            if worker is not None:
                worker.stop()
