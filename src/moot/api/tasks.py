"""Background tasks of the api app: they take ids and call a service."""

from __future__ import annotations

from django_tasks import task

from moot.api import services


@task()
def notify_key_request(*, api_key_id: int) -> int:
    return services.api_key_request_notify(api_key_id=api_key_id)
