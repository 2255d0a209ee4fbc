from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from moot.search.index import IndexBusy
from moot.search.services import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild this machine's search index from the database, showing progress. Searches "
        "keep answering from the old index until the new one is complete, then switch to it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        last_shown = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last_shown
            now = time.monotonic()
            if options["verbosity"] < 1 or (now - last_shown < 1 and done < total):
                return
            last_shown = now
            percent = 100 * done // total if total else 100
            rate = done / max(now - started, 1e-6)
            self.stdout.write(
                f"Indexed {done:,} of about {total:,} ({percent}%), {rate:,.0f} a second"
            )

        try:
            result = search_index_rebuild(progress=progress)
        except IndexBusy:
            raise CommandError("A rebuild is already running on this machine.") from None
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the search index: {result.documents:,} documents in "
                f"{result.seconds:.1f} s; searches now use {result.path}."
            )
        )
