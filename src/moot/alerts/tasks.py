"""Background tasks of the alerts app: they take what the request had and call a service."""

from __future__ import annotations

from django_tasks import task


@task()
def send_manage_link(*, email: str) -> bool:
    from moot.alerts.services.subscriptions import manage_link_send

    return manage_link_send(email=email)
