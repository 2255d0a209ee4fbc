from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from moot.parliament.management.importing import ImportCommand
from moot.parliament.services.imports import ImportSummary
from moot.parliament.services.written_questions import written_questions_import


class Command(ImportCommand):
    help = (
        "Import UK Parliament written-questions API JSON (single records or list responses), "
        "with holding answers, corrections, grouped questions and attachments. Idempotent."
    )

    def run(
        self, *, paths: list[Path], force: bool, write: Callable[[str], None] | None
    ) -> ImportSummary:
        return written_questions_import(paths=paths, force=force, write=write)
