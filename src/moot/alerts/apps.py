import datetime as dt

from django.apps import AppConfig
from django.conf import settings


def _send_alerts() -> None:
    from moot.alerts.services import alert_requests_purge, alerts_send
    from moot.alerts.services.subscriptions import manage_link_tasks_purge

    alerts_send()
    alert_requests_purge()
    manage_link_tasks_purge()


class AlertsConfig(AppConfig):
    name = "moot.alerts"
    label = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        from moot.core.background import register_periodic

        minutes = int(getattr(settings, "ALERTS_SEND_EVERY_MINUTES", 5))
        # Immediate alerts go out on every run; daily ones on the first run after the daily
        # hour (ALERTS_DAILY_HOUR), so one job serves both.
        register_periodic(
            name="alerts.send",
            every=dt.timedelta(minutes=minutes),
            run=_send_alerts,
            scope="cluster",
        )
