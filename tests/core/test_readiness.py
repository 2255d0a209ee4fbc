"""/readyz reports a dead worker and a stuck queue; /healthz (liveness) does not."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from moot.core.models import WorkerHeartbeat
from moot.core.tasks_recovery import heartbeat_beat
from tests.core.tasks_for_tests import append_line

pytestmark = pytest.mark.django_db


def test_ready_with_a_fresh_worker_heartbeat_and_an_empty_queue(client: Client) -> None:
    heartbeat_beat(worker_id="w1", started_at=timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "worker": "ok",
        "queue": "ok",
    }


def test_not_ready_when_no_worker_heartbeat_is_fresh(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WORKER_STALE_SECONDS = 60
    heartbeat_beat(worker_id="w1", started_at=timezone.now())
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - dt.timedelta(seconds=61))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["worker"] == "error: no worker heartbeat in the last 60 s"
    # Liveness stays ok: restarting web processes would not bring a worker back.
    assert client.get("/healthz").status_code == 200


def test_not_ready_when_the_oldest_queued_task_is_too_old(
    client: Client, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    settings.READY_MAX_QUEUE_AGE_SECONDS = 300
    heartbeat_beat(worker_id="w1", started_at=timezone.now())
    append_line.enqueue(path=str(tmp_path / "out"), text="x")
    assert client.get("/readyz").json()["checks"]["queue"] == "ok"
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(seconds=400))
    response = client.get("/readyz")
    assert response.status_code == 503
    reason = response.json()["checks"]["queue"]
    assert reason.startswith("error: the oldest queued task has waited 4")
    assert "(more than 300 s)" in reason
