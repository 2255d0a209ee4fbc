from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from moot.policy.services import mentions_refresh_all


class Command(BaseCommand):
    help = (
        "Find the documents and consultations every written question, answer and statement "
        "names, now, in the foreground (moot worker does this in the background as records "
        "arrive). Idempotent: staff's confirmations and removals are kept."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = mentions_refresh_all()
        self.stdout.write(
            f"Mentions: {counts.records} records read, {counts.created} new, "
            f"{counts.moved} moved, {counts.deleted} gone from their text."
        )
