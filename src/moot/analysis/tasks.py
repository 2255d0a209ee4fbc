"""Background tasks of the analysis app: they take ids and call a service."""

from __future__ import annotations

from django_tasks import task

from moot.analysis.services.runs import analysis_run_execute


@task()
def analysis_run_task(*, run_id: int) -> None:
    analysis_run_execute(run_id=run_id)
