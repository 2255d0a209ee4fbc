"""Writing an open-data export: every dataset as gzipped JSON Lines and CSV, and a manifest.

An export is written into a fresh folder and only then made current, by replacing the
``CURRENT`` pointer file in one rename: readers see the previous export or the new one,
never part of one. A failed export leaves the previous one as it was and removes its own
partial folder. The export before the current one is kept (a download that began just
before the swap can finish), older ones are deleted.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import gzip
import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from moot.api.opendata.changes import open_data_changes
from moot.api.opendata.datasets import DATASETS, Dataset, Row
from moot.api.opendata.files import (
    CURRENT,
    EXPORTS,
    MANIFEST,
    SCHEMA_VERSION,
    open_data_manifest,
)
from moot.core.csvsafe import csv_cell_safe

logger = logging.getLogger(__name__)

INCOMPLETE_PREFIX = ".incomplete-"
LOCK = ".export.lock"


class _Hashing(io.RawIOBase):
    """A writable file that counts and hashes the bytes written through it."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.sha256.update(chunk)
        self.size += len(chunk)
        self.target.write(chunk)
        return len(chunk)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _csv_value(value: Any) -> str:
    value = _json_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return csv_cell_safe("; ".join(str(item) for item in value))
    if isinstance(value, str):
        # Text from outside (a question's heading, say) must not run as a formula in the
        # spreadsheet that opens the file; numbers and dates cannot, and stay as they are.
        return csv_cell_safe(value)
    return str(value)


class _Output:
    """One compressed file being written, with its byte count and checksum once closed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.raw = path.open("wb")
        self.hashing = _Hashing(self.raw)
        # mtime=0 and no file name: the same data always gives the same bytes and checksum.
        self.gzip = gzip.GzipFile(filename="", mode="wb", fileobj=self.hashing, mtime=0)
        self.text = io.TextIOWrapper(self.gzip, encoding="utf-8", newline="")

    def close(self) -> None:
        self.text.close()  # closes the gzip stream, which writes its trailer
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()


def _entry(dataset: Dataset, fmt: str, output: _Output, rows: int) -> dict[str, Any]:
    return {
        "name": output.path.name,
        "dataset": dataset.name,
        "title": dataset.title,
        "format": fmt,
        "media_type": "application/x-ndjson" if fmt == "jsonl" else "text/csv",
        "compression": "gzip",
        "rows": rows,
        "bytes": output.hashing.size,
        "sha256": output.hashing.sha256.hexdigest(),
        "licence": dataset.licence,
        "columns": list(dataset.columns),
    }


def _write_dataset(dataset: Dataset, folder: Path) -> list[dict[str, Any]]:
    jsonl = _Output(folder / f"{dataset.name}.jsonl.gz")
    table = _Output(folder / f"{dataset.name}.csv.gz")
    writer = csv.writer(table.text)
    writer.writerow(dataset.columns)
    count = 0
    for row in dataset.rows():
        _check_columns(dataset, row)
        jsonl.text.write(
            json.dumps(
                {column: _json_value(row[column]) for column in dataset.columns},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
        jsonl.text.write("\n")
        writer.writerow([_csv_value(row[column]) for column in dataset.columns])
        count += 1
    jsonl.close()
    table.close()
    return [_entry(dataset, "jsonl", jsonl, count), _entry(dataset, "csv", table, count)]


def _check_columns(dataset: Dataset, row: Row) -> None:
    if tuple(row) != dataset.columns:
        raise ValueError(f"{dataset.name}: row columns {tuple(row)} differ from the declared")


@contextmanager
def _export_lock(root: Path) -> Iterator[None]:
    """One export at a time on this machine (the periodic job runs once across workers, but
    someone may run the command by hand meanwhile)."""
    with (root / LOCK).open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _make_current(root: Path, name: str) -> None:
    pointer = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed into place, not closed by a with
        "w", dir=root, prefix=".current-", delete=False, encoding="utf-8"
    )
    with pointer:
        pointer.write(name)
        pointer.flush()
        os.fsync(pointer.fileno())
    os.replace(pointer.name, root / CURRENT)
    directory = os.open(root, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _prune(root: Path, keep: set[str]) -> None:
    for folder in (root / EXPORTS).iterdir():
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


def open_data_export(*, root: Path | None = None) -> dict[str, Any]:
    """Write a complete export and make it the current one; returns its manifest.

    Atomic: on any failure the current export stays as it was and nothing partial remains.
    """
    root = Path(root or settings.OPEN_DATA_DIR)
    (root / EXPORTS).mkdir(parents=True, exist_ok=True)
    with _export_lock(root):
        previous = open_data_manifest(root=root)
        # Taken before any row is read: the export holds at least every change up to here,
        # and one made while it runs counts as a change after it (a refresh will follow).
        changes = open_data_changes()
        generated = timezone.now()
        name = generated.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        partial = Path(tempfile.mkdtemp(prefix=INCOMPLETE_PREFIX, dir=root / EXPORTS))
        try:
            files = []
            for dataset in DATASETS:
                files.extend(_write_dataset(dataset, partial))
            manifest = {
                "schema_version": SCHEMA_VERSION,
                "generated_at": _json_value(generated),
                "as_of": _json_value(changes.latest),
                "change_log_position": changes.log_position,
                "site_url": settings.SITE_URL,
                "files": files,
            }
            (partial / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            partial.rename(root / EXPORTS / name)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        _make_current(root, name)
        keep = {name} | ({previous["export"]} if previous else set())
        _prune(root, keep)
    logger.info("open data exported to %s", root / EXPORTS / name)
    return manifest


def _manifest_time(manifest: dict[str, Any], key: str) -> dt.datetime | None:
    value = manifest.get(key)
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _nightly_due(manifest: dict[str, Any], now: dt.datetime) -> bool:
    """None since the last ``OPEN_DATA_EXPORT_HOUR`` o'clock (site time): the nightly export
    also brings in what no change shows, such as consultations opening and closing."""
    local = timezone.localtime(now)
    slot = local.replace(hour=settings.OPEN_DATA_EXPORT_HOUR, minute=0, second=0, microsecond=0)
    if local < slot:
        slot -= dt.timedelta(days=1)
    generated = _manifest_time(manifest, "generated_at")
    return generated is None or generated < slot


def _refresh_due(manifest: dict[str, Any], now: dt.datetime) -> bool:
    """The data changed after the export (rows updated after its ``as_of``, or changes
    logged after its ``change_log_position``) and has been quiet for
    ``OPEN_DATA_REFRESH_DEBOUNCE_SECONDS``, or the first change not exported is
    ``OPEN_DATA_REFRESH_MAX_DELAY_SECONDS`` old (so steady voting cannot hold a refresh
    back for ever)."""
    # Exports made before manifests had as_of: they hold what had changed when they began.
    as_of = _manifest_time(manifest, "as_of") or _manifest_time(manifest, "generated_at")
    changes = open_data_changes(since=as_of, after_change=manifest.get("change_log_position"))
    if changes.pending_latest is None or changes.pending_earliest is None:
        return False
    debounce = dt.timedelta(seconds=settings.OPEN_DATA_REFRESH_DEBOUNCE_SECONDS)
    longest = dt.timedelta(seconds=settings.OPEN_DATA_REFRESH_MAX_DELAY_SECONDS)
    return now - changes.pending_latest >= debounce or now - changes.pending_earliest >= longest


def open_data_export_due(*, now: dt.datetime | None = None, root: Path | None = None) -> bool:
    """Whether to export now: none yet; the nightly export (after ``OPEN_DATA_EXPORT_HOUR``
    o'clock, site time) not made; or the data changed since the current export and the
    changes have settled (see ``_refresh_due``)."""
    manifest = open_data_manifest(root=root)
    if manifest is None:
        return True
    now = now or timezone.now()
    return _nightly_due(manifest, now) or _refresh_due(manifest, now)


def open_data_export_if_due() -> dict[str, Any] | None:
    """The periodic job: export when due, else nothing."""
    if not open_data_export_due():
        return None
    return open_data_export()
