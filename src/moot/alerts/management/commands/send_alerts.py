from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from moot.alerts.services import alert_requests_purge, alerts_send


class Command(BaseCommand):
    help = (
        "Send email alerts: match new items against every alert and email each address one "
        "digest. Safe to run at any time and to rerun after a crash; `moot worker` also runs it "
        "every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = alerts_send()
        alert_requests_purge()
        self.stdout.write(f"Alerts: {report}.")
