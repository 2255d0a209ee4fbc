from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


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

        if options["production"]:
            call_command("collectstatic", interactive=False, verbosity=0)
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
            worker = subprocess.Popen([sys.executable, "-m", "moot.cli", "worker"])
        self.stdout.write(f"moot is serving on http://{options['host']}:{options['port']}/")
        try:
            MootApplication().run()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
