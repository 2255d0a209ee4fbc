from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from moot.parliament.management.importing import ImportCommand
from moot.parliament.services.imports import ImportSummary
from moot.parliament.services.members import members_import


class Command(ImportCommand):
    help = (
        "Import people, parties, seats and posts from Popolo JSON (ParlParse people.json "
        "and ministers.json), then link speakers in imported records to them. Idempotent."
    )

    def run(
        self, *, paths: list[Path], force: bool, write: Callable[[str], None] | None
    ) -> ImportSummary:
        return members_import(paths=paths, force=force, write=write)
