from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moot.analysis.models import AnalysisRun, RunStatus
from moot.analysis.services.runs import analysis_run_execute, analysis_run_start
from moot.consultations.models import Consultation
from moot.core.errors import MootError
from moot.core.models import User


class Command(BaseCommand):
    help = (
        "Analyse a consultation's responses: queue a run for a worker, or with --now run it "
        "here and wait. The run is recorded as started by --user."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The consultation's slug.")
        parser.add_argument("--user", required=True, help="Username the run is recorded for.")
        parser.add_argument(
            "--now", action="store_true", help="Run it in this process instead of a worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            consultation = Consultation.objects.get(slug=options["slug"])
            user = User.objects.get(username=options["user"])
        except (Consultation.DoesNotExist, User.DoesNotExist) as missing:
            raise CommandError(str(missing)) from None
        try:
            run = analysis_run_start(consultation=consultation, by=user)
        except MootError as error:
            raise CommandError(str(error)) from None
        if not options["now"]:
            self.stdout.write(f"Analysis run {run.number} is queued for a worker (moot worker).")
            return
        analysis_run_execute(run_id=run.pk)
        finished = AnalysisRun.objects.get(pk=run.pk)
        if finished.status != RunStatus.SUCCEEDED:
            raise CommandError(f"Run {finished.number} failed: {finished.error_message}")
        self.stdout.write(
            f"Analysis run {finished.number} analysed {finished.response_count} responses in "
            f"{finished.duration_seconds:.1f} s; its result takes "
            f"{finished.result_bytes:,} bytes ({finished.result_json_bytes:,} as JSON)."
        )
