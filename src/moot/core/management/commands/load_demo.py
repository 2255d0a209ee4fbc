from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from moot.demo import DEMO_STAFF_USERNAME, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo data: both seed pages and enough more records to explore moot. "
        "Idempotent: a second run adds nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo()
        if not summary.created:
            self.stdout.write("Demo data already loaded: nothing to add.")
        else:
            created = ", ".join(
                f"{count} {kind}" for kind, count in sorted(summary.created.items())
            )
            self.stdout.write(f"Demo data loaded: {created}.")
        if summary.staff_password:
            self.stdout.write(
                self.style.WARNING(
                    f"Demo staff account created. Sign in at /admin/ as {DEMO_STAFF_USERNAME} "
                    f"with the password {summary.staff_password} (shown only this once; "
                    f"`moot changepassword {DEMO_STAFF_USERNAME}` sets a new one)."
                )
            )
