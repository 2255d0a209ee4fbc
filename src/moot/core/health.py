"""Liveness, readiness and metrics endpoints for load balancers and monitoring."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
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
    return checks


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers and every migration is applied."""
    checks = _readiness_checks()
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics. With ``METRICS_TOKEN`` set, a bearer token is required."""
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given, token):
            return HttpResponse("Forbidden", status=403, content_type="text/plain")
    # Imported here, not at the top: URL checks import this module in `moot serve`'s parent
    # process, and prometheus_client must first be imported after the multi-process mode is
    # chosen.
    from moot.core import metrics

    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)
