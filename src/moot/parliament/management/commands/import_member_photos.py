from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moot.parliament.services.photos import member_photos_import


class Command(BaseCommand):
    help = (
        "Import members' photos: a folder of images named by ParlParse person id "
        "(TheyWorkForYou's layout: mps/10001.jpg, mpsL/10001.jpeg …), or a CSV with the "
        "columns person_id and image (and optionally credit and licence). Each image is "
        "checked, stripped of its metadata and resized for the pages. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="folders or CSVs")
        parser.add_argument("--credit", default="", help="shown under each photo, e.g. a name")
        parser.add_argument("--licence", default="", help="e.g. CC BY 3.0")
        parser.add_argument("--force", action="store_true", help="redraw unchanged photos too")

    def handle(self, *args: Any, **options: Any) -> None:
        write = self.stdout.write if options["verbosity"] >= 1 else None
        summary = member_photos_import(
            paths=options["paths"],
            credit=options["credit"],
            licence=options["licence"],
            force=options["force"],
            write=write,
        )
        for line in summary.lines():
            self.stdout.write(line)
        if summary.errors:
            raise CommandError(
                f"{summary.errors:,} file(s) or row(s) could not be imported and were skipped "
                "(listed above); everything else was imported"
            )
