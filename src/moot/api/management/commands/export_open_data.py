from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from moot.api.opendata.export import open_data_export


class Command(BaseCommand):
    help = (
        "Export the public data as gzipped JSON Lines and CSV with a manifest, replacing the "
        "current export atomically (the worker also does this nightly)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Folder to export into (default: OPEN_DATA_DIR, which the site serves).",
        )

    def handle(self, *args: Any, output: Path | None = None, **options: Any) -> None:
        manifest = open_data_export(root=output)
        for entry in manifest["files"]:
            self.stdout.write(f"{entry['name']}: {entry['rows']:,} rows, {entry['bytes']:,} bytes")
        where = output or "OPEN_DATA_DIR"
        self.stdout.write(self.style.SUCCESS(f"Exported {manifest['generated_at']} to {where}."))
