"""Liveness, readiness and metrics endpoints for load balancers and monitoring."""

from __future__ import annotations

import datetime as dt
import hmac

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches nothing else, so a slow database does not get
    healthy processes restarted."""
    return JsonResponse({"status": "ok"})


def _readiness_checks() -> dict[str, str]:
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any database failure means not ready
        checks["database"] = f"error: {type(error).__name__}"
        return checks
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    checks["migrations"] = "ok" if not pending else f"{len(pending)} not applied"
    if pending:
        return checks
    checks["worker"] = _worker_check()
    checks["queue"] = _queue_check()
    return checks


def _worker_check() -> str:
    """A worker has beaten its heartbeat within WORKER_STALE_SECONDS: otherwise uploads'
    text, receipts and alerts wait for ever while the pages look fine."""
    from moot.core.models import WorkerHeartbeat

    cutoff = timezone.now() - dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    if WorkerHeartbeat.objects.filter(last_seen_at__gte=cutoff).exists():
        return "ok"
    return f"error: no worker heartbeat in the last {settings.WORKER_STALE_SECONDS} s"


def _queue_check() -> str:
    """The oldest task ready to run has not waited longer than READY_MAX_QUEUE_AGE_SECONDS."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = DBTaskResult.objects.ready()
    # A task waits from when it was queued, or from its run_after when it has one.
    oldest = [
        ready.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))["at"],
        ready.exclude(run_after=get_date_max()).aggregate(at=Min("run_after"))["at"],
    ]
    waiting_since = min((at for at in oldest if at is not None), default=None)
    if waiting_since is None:
        return "ok"
    age = (timezone.now() - waiting_since).total_seconds()
    if age <= settings.READY_MAX_QUEUE_AGE_SECONDS:
        return "ok"
    return (
        f"error: the oldest queued task has waited {int(age)} s "
        f"(more than {settings.READY_MAX_QUEUE_AGE_SECONDS} s)"
    )


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers, every migration is applied, a worker is alive and
    the task queue is moving."""
    checks = _readiness_checks()
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for a bearer token equal to ``METRICS_TOKEN``. With no token set
    the page does not exist unless ``METRICS_PUBLIC`` is true: its per-route counts show when
    staff are at work."""
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return HttpResponse("Forbidden", status=403, content_type="text/plain")
    elif not getattr(settings, "METRICS_PUBLIC", False):
        raise Http404("Metrics are served only with METRICS_TOKEN or METRICS_PUBLIC set")
    # Imported here, not at the top: URL checks import this module in `moot serve`'s parent
    # process, and prometheus_client must first be imported after the multi-process mode is
    # chosen.
    from moot.core import metrics

    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)
