"""``moot import-postcodes``: the ONS Postcode Directory into ``Postcode`` rows, and its
constituency names lookup onto ``Constituency.ons_code``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from moot.core.errors import FileRejected
from moot.parliament.importers.onspd import (
    ConstituencyName,
    PostcodeRecord,
    RowProblem,
    read_file,
)
from moot.parliament.models import Constituency, Postcode
from moot.parliament.services.imports import ImportSummary

BATCH = 5000


def _files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.csv") if p.is_file()))
        else:
            files.append(path)
    return files


def postcodes_import(
    *,
    paths: Iterable[Path],
    force: bool = False,
    write: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import each file: postcodes are added or moved to their current constituency and
    terminated ones removed; constituency names set the ONS code of the constituency of
    that name. Idempotent (importing a file again changes nothing); each batch of 5,000 rows
    is one transaction, so a file that breaks part way keeps the rows before the break.
    ``force`` is accepted for the shared command line and changes nothing: every run reads
    every row."""
    summary = ImportSummary()
    for path in _files(paths):
        if not path.exists():
            summary.problem(str(path), "no such file")
            continue
        try:
            _import_file(path, summary, write)
        except FileRejected as error:
            summary.problem(str(path), str(error))
        else:
            summary.files_read += 1
    return summary


def _import_file(path: Path, summary: ImportSummary, write: Callable[[str], None] | None) -> None:
    postcodes: list[PostcodeRecord] = []
    names: list[ConstituencyName] = []
    read = 0
    for item in read_file(path):
        if isinstance(item, RowProblem):
            summary.problem(f"{path} line {item.line}", item.message)
        elif isinstance(item, PostcodeRecord):
            postcodes.append(item)
        else:
            names.append(item)
        if len(postcodes) >= BATCH:
            read += len(postcodes)
            _save_postcodes(postcodes, summary)
            postcodes = []
            if write:
                write(f"{path.name}: {read:,} postcodes")
    _save_postcodes(postcodes, summary)
    if names:
        _save_names(names, summary, path)


@transaction.atomic
def _save_postcodes(records: list[PostcodeRecord], summary: ImportSummary) -> None:
    if not records:
        return
    latest = {r.postcode: r for r in records}  # a postcode twice in one batch: the later
    existing = dict(
        Postcode.objects.filter(postcode__in=list(latest)).values_list(
            "postcode", "constituency_code"
        )
    )
    gone = [p for p, r in latest.items() if r.terminated and p in existing]
    Postcode.objects.filter(postcode__in=gone).delete()
    summary.add("postcodes", "removed", len(gone))
    summary.add(
        "postcodes", "terminated", sum(1 for r in latest.values() if r.terminated) - len(gone)
    )
    live = [r for r in latest.values() if not r.terminated]
    new = [r for r in live if r.postcode not in existing]
    moved = [
        r for r in live if r.postcode in existing and existing[r.postcode] != r.constituency_code
    ]
    Postcode.objects.bulk_create(
        [Postcode(postcode=r.postcode, constituency_code=r.constituency_code) for r in new]
    )
    for record in moved:
        Postcode.objects.filter(postcode=record.postcode).update(
            constituency_code=record.constituency_code
        )
    summary.add("postcodes", "created", len(new))
    summary.add("postcodes", "updated", len(moved))
    summary.add("postcodes", "unchanged", len(live) - len(new) - len(moved))


@transaction.atomic
def _save_names(names: list[ConstituencyName], summary: ImportSummary, path: Path) -> None:
    by_slug = {c.slug: c for c in Constituency.objects.all()}
    for entry in names:
        constituency = by_slug.get(slugify(entry.name))
        if constituency is None:
            summary.add("constituencies", "not held")
            continue
        if constituency.ons_code == entry.code:
            summary.add("constituencies", "unchanged")
            continue
        # A code moved from one constituency to another (a corrected name) is freed first.
        Constituency.objects.filter(ons_code=entry.code).exclude(pk=constituency.pk).update(
            ons_code=None
        )
        constituency.ons_code = entry.code
        constituency.save(update_fields=["ons_code", "updated_at"])
        summary.add("constituencies", "updated")
