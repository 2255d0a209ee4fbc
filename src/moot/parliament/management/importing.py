"""What the three import commands share: arguments, progress lines and the closing summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moot.parliament.services.imports import ImportSummary


class ImportCommand(BaseCommand):
    """Runs one import service over the paths given; exits 1 when anything was skipped.

    Subclasses set ``service``: ``service = staticmethod(parlparse_import)``.
    """

    service: Callable[..., ImportSummary]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
        parser.add_argument(
            "--force",
            action="store_true",
            help="read files again even when their content was imported completely before",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        write = self.stdout.write if options["verbosity"] >= 1 else None
        summary = self.service(paths=options["paths"], force=options["force"], write=write)
        for line in summary.lines():
            self.stdout.write(line)
        if summary.errors:
            raise CommandError(
                f"{summary.errors:,} file(s) or record(s) could not be imported and were "
                "skipped (listed above); everything else was imported"
            )
