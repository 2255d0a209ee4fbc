from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moot.core.copying import CopyRefused, copy_database


class Command(BaseCommand):
    help = (
        "Copy every row from one database to another, for example from the embedded SQLite "
        "database to PostgreSQL. The target is migrated first and must be empty; the copy is "
        "one transaction, so it lands whole or not at all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from",
            dest="source",
            required=True,
            help="The database to copy from, as a URL (sqlite:///var/moot.sqlite3).",
        )
        parser.add_argument(
            "--to",
            dest="target",
            required=True,
            help="The database to copy to, as a URL (postgres://user@host:5432/moot).",
        )
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(label: str, rows: int) -> None:
            self.stdout.write(f"  {label}: {rows} rows")

        try:
            report = copy_database(
                source_url=options["source"],
                target_url=options["target"],
                batch_size=options["batch_size"],
                progress=progress,
            )
        except CopyRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Copied {report.rows} rows in {report.tables} tables; every table's count "
                "matches. Run `moot reindex` against the new database to build its search index."
            )
        )
