"""Prometheus metrics: requests, the background task queue, and whatever apps register.

With several gunicorn processes set ``PROMETHEUS_MULTIPROC_DIR`` to a shared empty folder so
that every process's counts are added up at scrape time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

REQUESTS = Counter(
    "moot_http_requests_total", "HTTP requests answered.", ["route", "method", "status"]
)
REQUEST_SECONDS = Histogram(
    "moot_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe_request(*, route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    REQUEST_SECONDS.labels(route=route, method=method).observe(seconds)


class QueueCollector(Collector):
    """Queue depth read from the database when Prometheus scrapes, so it is never stale."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        gauge = GaugeMetricFamily(
            "moot_task_queue_depth",
            "Background tasks by queue and status.",
            labels=["queue", "status"],
        )
        rows = (
            DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
            .values("queue_name", "status")
            .annotate(count=Count("id"))
            .order_by()
        )
        for row in rows:
            gauge.add_metric([row["queue_name"], row["status"].lower()], row["count"])
        yield gauge


_queue_collector = QueueCollector()


def render() -> tuple[bytes, str]:
    """The metrics page: this process's (or all processes') metrics plus the queue depth."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    body = generate_latest(registry)
    queue_registry = CollectorRegistry()
    queue_registry.register(_queue_collector)
    return body + generate_latest(queue_registry), CONTENT_TYPE_LATEST
