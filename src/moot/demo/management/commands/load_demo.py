from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from moot.cli import moot_command
from moot.demo.loader import DEMO_STAFF_USERNAME, load_demo


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
                f"{kind}: {count}" for kind, count in sorted(summary.created.items())
            )
            self.stdout.write(f"Demo data loaded ({created}).")
        if summary.staff_password:
            moot = moot_command()
            self.stdout.write(
                self.style.WARNING(
                    f"Demo staff account created (shown only this once).\n"
                    f"  Sign in at {settings.SITE_URL}/staff/login/\n"
                    f"  username: {DEMO_STAFF_USERNAME}\n"
                    f"  password: {summary.staff_password}\n"
                    f"  code:     run `{moot} two-factor-code {DEMO_STAFF_USERNAME}`, or add the "
                    f"key {summary.staff_two_factor_key} to an authenticator app\n"
                    f"  `{moot} changepassword {DEMO_STAFF_USERNAME}` sets a new password."
                )
            )
