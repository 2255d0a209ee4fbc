import datetime as dt

import pytest
from django.utils import timezone

from moot.core import background
from moot.core.models import PeriodicJobState


@pytest.fixture
def counting_job() -> background.PeriodicJob:
    return background.PeriodicJob(
        name="test-count",
        every=dt.timedelta(hours=1),
        run=lambda: None,
        scope="cluster",
        lease=dt.timedelta(minutes=5),
    )


@pytest.mark.django_db
def test_a_due_cluster_job_is_claimed_by_one_worker_only(
    counting_job: background.PeriodicJob,
) -> None:
    now = timezone.now()
    assert background.claim_cluster_job(job=counting_job, worker_id="a", now=now)
    assert not background.claim_cluster_job(job=counting_job, worker_id="b", now=now)
    background.finish_cluster_job(job=counting_job, worker_id="a")
    state = PeriodicJobState.objects.get(name="test-count")
    assert state.locked_by == ""
    assert state.next_run_at > now + dt.timedelta(minutes=59)
    # Not due again until the interval has passed.
    assert not background.claim_cluster_job(job=counting_job, worker_id="b", now=timezone.now())


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_expires(counting_job: background.PeriodicJob) -> None:
    now = timezone.now()
    assert background.claim_cluster_job(job=counting_job, worker_id="dead", now=now)
    later = now + dt.timedelta(minutes=6)
    assert background.claim_cluster_job(job=counting_job, worker_id="alive", now=later)


@pytest.mark.django_db
def test_run_due_jobs_runs_each_registered_job_and_records_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def failing() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(background, "_jobs", {})
    background.register_periodic(
        name="ok", every=dt.timedelta(hours=1), run=lambda: calls.append("ok")
    )
    background.register_periodic(name="fails", every=dt.timedelta(hours=1), run=failing)
    background.register_periodic(
        name="local", every=dt.timedelta(hours=1), run=lambda: calls.append("local"), scope="local"
    )
    local_runs: dict[str, dt.datetime] = {}
    ran = background.run_due_jobs(worker_id="w", last_local_runs=local_runs)
    assert sorted(ran) == ["fails", "local", "ok"]
    assert calls.count("ok") == 1
    assert "RuntimeError: boom" in PeriodicJobState.objects.get(name="fails").last_error
    assert background.run_due_jobs(worker_id="w", last_local_runs=local_runs) == []
