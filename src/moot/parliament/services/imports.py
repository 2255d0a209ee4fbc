"""What every importer shares: per-file progress records, summaries and progress lines."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone

from moot.parliament.models import ImportedFile, Importer, ImportStatus

OUTCOMES = ("created", "updated", "unchanged")


@dataclass(frozen=True)
class ImportProblem:
    """A file or record that was skipped, and why: ``where`` is a file and line, or a record id."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ImportSummary:
    """What an import did. ``counts`` is keyed by (kind, outcome), e.g. ("questions", "created")."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files_read: int = 0
    files_unchanged: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, kind: str, outcome: str, count: int = 1) -> None:
        if count:
            self.counts[(kind, outcome)] += count

    def get(self, kind: str, outcome: str) -> int:
        return self.counts[(kind, outcome)]

    def problem(self, where: str, message: str) -> None:
        self.problems.append(ImportProblem(where, message))

    @property
    def errors(self) -> int:
        return len(self.problems)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def kinds(self) -> list[str]:
        return list(dict.fromkeys(kind for kind, _ in self.counts))

    def as_counts(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for (kind, outcome), count in self.counts.items():
            result.setdefault(kind, {})[outcome] = count
        return result

    def lines(self) -> list[str]:
        """The summary shown at the end of a run."""
        files = self.files_read + self.files_unchanged
        lines = [
            f"Read {files:,} file{'s' if files != 1 else ''} in {self.elapsed:.1f}s "
            f"({self.files_unchanged:,} unchanged since the last import)."
        ]
        for kind in self.kinds():
            parts = [f"{self.get(kind, outcome):,} {outcome}" for outcome in OUTCOMES]
            extra = sorted(
                (outcome, count)
                for (k, outcome), count in self.counts.items()
                if k == kind and outcome not in OUTCOMES
            )
            parts += [f"{count:,} {outcome}" for outcome, count in extra]
            lines.append(f"  {kind}: {', '.join(parts)}")
        lines += [f"  note: {note}" for note in self.notes]
        lines.append(f"  errors: {self.errors:,}")
        lines += [f"    {problem}" for problem in self.problems[:50]]
        if self.errors > 50:
            lines.append(f"    … and {self.errors - 50:,} more")
        return lines


class Progress:
    """Prints a line now and then on a long run, never more often than every few seconds."""

    def __init__(
        self,
        write: Callable[[str], None] | None,
        *,
        kind: str,
        every_seconds: float = 5.0,
    ) -> None:
        self.write = write
        self.kind = kind
        self.every_seconds = every_seconds
        self.last = time.monotonic()

    def tick(self, summary: ImportSummary, *, where: str) -> None:
        now = time.monotonic()
        if self.write is None or now - self.last < self.every_seconds:
            return
        self.last = now
        done = sum(summary.get(self.kind, outcome) for outcome in OUTCOMES)
        rate = done / summary.elapsed if summary.elapsed else 0
        self.write(f"… {done:,} {self.kind} so far ({rate:,.0f} a second), reading {where}")


def json_files(paths: list[Path], summary: ImportSummary) -> list[Path]:
    """The files named, and the .json files in the folders named; missing paths reported."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.rglob("*.json"))
        elif path.exists():
            files.append(path)
        else:
            summary.problem(str(path), "no such file or folder")
    return files


def file_hash(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def content_hash(content: dict[str, Any]) -> str:
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


class FileJob:
    """The progress record of one file's import.

    ``skip`` is true when this content was imported completely before (and not forced);
    ``resume_from`` is how many records a previous run committed, to be passed over now.
    Writes to the record happen in the importer's own transactions (``checkpoint``), so a
    file costs no extra commits.
    """

    def __init__(self, *, importer: Importer, path: Path, force: bool = False) -> None:
        digest, size = file_hash(path)
        record, _ = ImportedFile.objects.get_or_create(
            importer=importer,
            content_hash=digest,
            defaults={"path": str(path)[:500], "size": size},
        )
        self.record = record
        self.path = str(path)[:500]
        self.size = size
        # A file some of whose records were skipped (their people unknown, say) is read
        # again: what it could not import then it may import now.
        skipped_some = any(outcomes.get("skipped") for outcomes in (record.counts or {}).values())
        complete = record.status == ImportStatus.COMPLETE
        self.skip = complete and not force and not skipped_some
        self.resume_from = 0 if force or complete else record.records_done

    @property
    def previous_counts(self) -> dict[str, dict[str, int]]:
        return dict(self.record.counts or {})

    def checkpoint(self, records_done: int) -> None:
        """Record progress; call inside the transaction that wrote those records."""
        ImportedFile.objects.filter(pk=self.record.pk).update(
            records_done=records_done,
            status=ImportStatus.RUNNING,
            path=self.path,
            size=self.size,
            error="",
            updated_at=timezone.now(),
        )
        self.record.records_done = records_done

    def complete(self, counts: dict[str, dict[str, int]]) -> None:
        self._finish(ImportStatus.COMPLETE, counts=counts)

    def fail(self, error: str, counts: dict[str, dict[str, int]]) -> None:
        self._finish(ImportStatus.FAILED, counts=counts, error=error)

    def _finish(
        self, status: ImportStatus, *, counts: dict[str, dict[str, int]], error: str = ""
    ) -> None:
        self.record.status = status
        self.record.counts = counts
        self.record.error = error
        self.record.path = self.path
        self.record.size = self.size
        self.record.finished_at = timezone.now()
        self.record.save(
            update_fields=["status", "counts", "error", "path", "size", "finished_at", "updated_at"]
        )


def count_unchanged_file(summary: ImportSummary, job: FileJob, *, kinds: tuple[str, ...]) -> None:
    """A file skipped as already imported: everything it held counts as unchanged."""
    summary.files_unchanged += 1
    for kind, outcomes in job.previous_counts.items():
        if kind in kinds:
            summary.add(kind, "unchanged", sum(outcomes.get(o, 0) for o in OUTCOMES))


def file_counts(before: ImportSummary, after: ImportSummary) -> dict[str, dict[str, int]]:
    """The counts one file contributed: ``after`` minus a snapshot taken before it."""
    result: dict[str, dict[str, int]] = {}
    for key, count in (after.counts - before.counts).items():
        kind, outcome = key
        result.setdefault(kind, {})[outcome] = count
    return result


def snapshot(summary: ImportSummary) -> ImportSummary:
    return ImportSummary(counts=Counter(summary.counts))
