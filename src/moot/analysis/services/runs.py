"""Analysis runs: queue one, run it in a worker with its progress on the run's row, store the
result, and record a failure where staff can see it.

One run at a time per consultation: the database refuses a second active run (a partial
unique constraint), and starting one locks the consultation's row. A run whose worker died
is taken for dead once it has reported no progress for ``ANALYSIS_RUN_TIMEOUT_MINUTES``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connections, models, transaction
from django.db.models import Max
from django.utils import timezone

from moot.analysis.engine import AnalysisParams, AnalysisResult, run_analysis
from moot.analysis.models import (
    ACTIVE_STATUSES,
    AnalysisRun,
    RunStatus,
)
from moot.analysis.selectors.inputs import (
    EngineInputs,
    QuestionInfo,
    analyst_state_load,
    counted_responses,
    engine_inputs_load,
)
from moot.analysis.selectors.runs import latest_run, result_load
from moot.analysis.services.storage import rows_delete, rows_write, run_summary_build
from moot.consultations.models import Consultation, ConsultationStatus
from moot.consultations.services.lifecycle import consultation_start_analysis
from moot.core.errors import MootError
from moot.core.models import User

logger = logging.getLogger(__name__)


class AnalysisAlreadyRunning(MootError):
    """A run is queued or running for this consultation already."""


class NothingToAnalyse(MootError):
    """The consultation has no counted responses yet."""


class RunStopped(Exception):
    """The run was cancelled, or taken for dead, while the engine was working."""


def _timeout() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "ANALYSIS_RUN_TIMEOUT_MINUTES", 30))


def _stale_runs_fail(*, consultation: Consultation, now: dt.datetime) -> None:
    """Mark active runs that have reported nothing for too long as failed."""
    cutoff = now - _timeout()
    for run in AnalysisRun.objects.filter(consultation=consultation, status__in=ACTIVE_STATUSES):
        if run.status == RunStatus.QUEUED and run.created_at < cutoff:
            _fail(run, "No worker started the run (is `moot worker` running?).", now=now)
        elif run.status == RunStatus.RUNNING and (run.progress_at or run.created_at) < cutoff:
            _fail(
                run,
                "The run stopped reporting progress (its worker may have been stopped); "
                "start a new run.",
                now=now,
            )


def _fail(run: AnalysisRun, message: str, *, now: dt.datetime | None = None) -> None:
    AnalysisRun.objects.filter(pk=run.pk, status__in=ACTIVE_STATUSES).update(
        status=RunStatus.FAILED,
        finished_at=now or timezone.now(),
        error_message=message[:5000],
        updated_at=now or timezone.now(),
    )


@transaction.atomic
def analysis_run_start(
    *, consultation: Consultation, by: User, now: dt.datetime | None = None
) -> AnalysisRun:
    """Queue an analysis of the consultation's counted responses; a worker runs it.

    Atomic with the task that runs it (the database task backend writes the task in the same
    transaction). Starting an analysis of a closed consultation marks it as being analysed.
    Raises ``AnalysisAlreadyRunning`` or ``NothingToAnalyse``.
    """
    from moot.analysis.tasks import analysis_run_task

    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not counted_responses(consultation=consultation).exists():
        raise NothingToAnalyse("There are no responses to analyse yet.")
    _stale_runs_fail(consultation=consultation, now=now)
    number = (
        AnalysisRun.objects.filter(consultation=consultation).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    try:
        with transaction.atomic():
            run = AnalysisRun.objects.create(
                consultation=consultation,
                number=number,
                requested_by=by,
                stage="Waiting for a worker",
            )
    except IntegrityError:
        raise AnalysisAlreadyRunning(
            "An analysis of these responses is already running. Wait for it to finish."
        ) from None
    if consultation.status_at(now) == ConsultationStatus.CLOSED:
        consultation_start_analysis(consultation=consultation, by=by, now=now)
    logger.info("%s queued analysis run %s of %s", by, number, consultation.slug)
    analysis_run_task.enqueue(run_id=run.pk)
    return run


def analysis_run_cancel(*, run: AnalysisRun, by: User) -> None:
    """Stop waiting for an active run: it is marked failed, and a worker still running it
    throws its result away. Does nothing to a run that has finished."""
    _fail(run, f"Cancelled by {by.get_username()}.")


def analysis_run_execute(*, run_id: int) -> AnalysisRun | None:
    """Run a queued run to its end. Success or failure is recorded on the run's row; only a
    run that is not (or no longer) queued is left alone (returns None)."""
    now = timezone.now()
    claimed = AnalysisRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=now,
        progress_at=now,
        stage="Reading the responses",
        updated_at=now,
    )
    if not claimed:
        return None
    run = AnalysisRun.objects.select_related("consultation").get(pk=run_id)
    try:
        _execute(run)
    except RunStopped:
        logger.info("Analysis run %s stopped before it finished", run_id)
        rows_delete(run_ids=[run.pk])
    except Exception as error:
        logger.exception("Analysis run %s failed", run_id)
        rows_delete(run_ids=[run.pk])
        _fail(run, _error_text(error))
    return AnalysisRun.objects.get(pk=run_id)


def _error_text(error: Exception) -> str:
    if isinstance(error, ValueError | MootError):
        return f"The analysis could not be run: {error}"
    return (
        f"The analysis stopped with an unexpected error ({type(error).__name__}: {error}). "
        "The worker's log has the details."
    )


class _Progress:
    """Writes the engine's progress to the run's row; stops the engine if the run was
    cancelled meanwhile."""

    def __init__(self, run: AnalysisRun, infos: list[QuestionInfo], *, close: bool) -> None:
        self.run_id = run.pk
        self.position = {info.ref: info.position for info in infos}
        self.close = close

    def label(self, stage: str) -> str:
        if stage.startswith("themes:"):
            position = self.position.get(stage.removeprefix("themes:"), "")
            return f"Finding themes (question {position} done)"
        return {
            "campaigns": "Finding campaigns",
            "closed_questions": "Counting the answers to closed questions",
            "themes": "Finding themes",
            "done": "Saving the results",
        }.get(stage, stage)

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.write(self.label(stage), done + 1, total + 2)

    def write(self, label: str, done: int, total: int) -> None:
        now = timezone.now()
        updated = AnalysisRun.objects.filter(pk=self.run_id, status=RunStatus.RUNNING).update(
            stage=label, progress_done=done, progress_total=total, progress_at=now, updated_at=now
        )
        if self.close:
            _close_connections()
        if not updated:
            raise RunStopped


def _close_connections() -> None:
    """Engine worker processes are forked: they should not inherit open connections. (Inside
    a transaction — a test running tasks at once — the connection must stay open.)"""
    if not any(connection.in_atomic_block for connection in connections.all()):
        connections.close_all()


def _execute(run: AnalysisRun) -> None:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    inputs = engine_inputs_load(consultation=run.consultation)
    state, last_change = analyst_state_load(consultation=run.consultation)
    previous_run = latest_run(consultation=run.consultation)
    previous = result_load(run=previous_run) if previous_run is not None else None
    timings["load"] = round(time.perf_counter() - started, 3)
    workers = max(1, int(getattr(settings, "ANALYSIS_WORKERS", 1)))
    progress = _Progress(run, inputs.question_info, close=workers > 1)
    free = sum(1 for q in inputs.questions if q.kind.value == "free_text")
    progress.write("Reading the responses", 1, free + 4)
    if workers > 1:
        _close_connections()
    started = time.perf_counter()
    result = run_analysis(
        questions=inputs.questions,
        responses=inputs.responses,
        analyst_state=state,
        params=AnalysisParams(),
        previous=previous,
        progress=progress,
        workers=workers,
    )
    timings["engine"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    _store(run, result, inputs, last_change=last_change, timings=timings, started=started)


def _store(
    run: AnalysisRun,
    result: AnalysisResult,
    inputs: EngineInputs,
    *,
    last_change: int,
    timings: dict[str, float],
    started: float,
) -> None:
    data = result.to_dict()
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packed = gzip.compress(raw, compresslevel=6, mtime=0)
    run.result_file.save(f"run-{run.number}.json.gz", ContentFile(packed), save=False)
    try:
        rows_write(run=run, result=result)
        summary = run_summary_build(data=data, inputs=inputs)
        timings["save"] = round(time.perf_counter() - started, 3)
        now = timezone.now()
        with transaction.atomic():
            finished = AnalysisRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
                status=RunStatus.SUCCEEDED,
                finished_at=now,
                stage="Finished",
                progress_done=models.F("progress_total"),
                progress_at=now,
                engine_version=result.engine_version,
                params=data["params"],
                input_fingerprint=result.input_fingerprint,
                response_count=result.response_count,
                included_change_id=last_change,
                summary=summary,
                result_file=run.result_file.name,
                result_bytes=len(packed),
                result_json_bytes=len(raw),
                timings=timings,
                updated_at=now,
            )
    except BaseException:
        run.result_file.delete(save=False)
        raise
    if not finished:
        run.result_file.delete(save=False)
        raise RunStopped
    # Pages read the rows of the latest successful run only; older runs keep their results.
    older = AnalysisRun.objects.filter(consultation_id=run.consultation_id, number__lt=run.number)
    rows_delete(run_ids=list(older.values_list("pk", flat=True)))
    logger.info("Analysis run %s of %s finished: %s", run.number, run.consultation, timings)
