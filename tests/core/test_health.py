import json
import logging

import pytest
from django.test import Client

from moot.core.logformat import JsonFormatter

pytestmark = pytest.mark.django_db


def test_liveness(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_checks_database_and_migrations(client: Client) -> None:
    from django.utils import timezone

    from moot.core.tasks_recovery import heartbeat_beat

    heartbeat_beat(worker_id="w", started_at=timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["migrations"] == "ok"


def test_metrics_count_requests_and_show_the_queue(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_PUBLIC = True
    client.get("/consultations/")
    body = client.get("/metrics").content.decode()
    assert 'moot_http_requests_total{method="GET",route="consultations:list",status="200"}' in body
    assert "moot_http_request_duration_seconds_bucket" in body
    assert "moot_task_queue_depth" in body


def test_metrics_token_is_required_when_set(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200


def test_json_log_lines_carry_extra_fields() -> None:
    record = logging.LogRecord("moot.test", logging.INFO, __file__, 1, "sent %s", ("3",), None)
    record.alert_run = 42
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "sent 3"
    assert line["level"] == "INFO"
    assert line["logger"] == "moot.test"
    assert line["alert_run"] == 42
