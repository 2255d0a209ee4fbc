"""moot's URLs plus the baseline view of ``bench/responses.py``."""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def raw_insert(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do to store something: insert one row, in a transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_raw_insert (created_at, payload) VALUES (%s, %s)",
            [timezone.now(), request.POST.get("payload", "")],
        )
    return HttpResponse("stored", status=201)


urlpatterns = [
    path("bench/raw-insert/", raw_insert),
    path("", include("moot.urls")),
]
