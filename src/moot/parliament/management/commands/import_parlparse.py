from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from moot.parliament.management.importing import ImportCommand
from moot.parliament.services.imports import ImportSummary
from moot.parliament.services.parlparse import parlparse_import


class Command(ImportCommand):
    help = (
        "Import ParlParse written answers (answers*.xml, lordswrans*.xml; files or folders), "
        "including superseded versions and their redirects. Idempotent and resumable."
    )

    def run(
        self, *, paths: list[Path], force: bool, write: Callable[[str], None] | None
    ) -> ImportSummary:
        return parlparse_import(paths=paths, force=force, write=write)
