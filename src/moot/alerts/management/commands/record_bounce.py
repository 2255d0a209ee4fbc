from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from moot.alerts.models import ProblemKind
from moot.alerts.services import delivery_problem_record


class Command(BaseCommand):
    help = (
        "Record a bounce or spam complaint for an email address; hard bounces and complaints "
        "suspend its alerts at once, soft bounces after three in two weeks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--kind", choices=ProblemKind.values, default=ProblemKind.HARD_BOUNCE)
        parser.add_argument("--detail", default="", help="What the mail server said.")

    def handle(self, *args: Any, **options: Any) -> None:
        suspended = delivery_problem_record(
            email=options["email"], kind=options["kind"], detail=options["detail"]
        )
        outcome = "its alerts are suspended" if suspended else "no alerts are suspended"
        self.stdout.write(f"Recorded a {options['kind'].replace('_', ' ')}: {outcome}.")
