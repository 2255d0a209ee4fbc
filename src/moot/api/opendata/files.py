"""Reading the current open-data export: its manifest and its files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

SCHEMA_VERSION = 1
EXPORTS = "exports"
CURRENT = "CURRENT"
MANIFEST = "manifest.json"


def _root(root: Path | None) -> Path:
    return Path(root or settings.OPEN_DATA_DIR)


def open_data_folder(*, root: Path | None = None) -> Path | None:
    """The current export's folder, or None before the first export."""
    base = _root(root)
    try:
        name = (base / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    folder = base / EXPORTS / name
    if not name or "/" in name or name.startswith(".") or not folder.is_dir():
        return None
    return folder


def open_data_manifest(*, root: Path | None = None) -> dict[str, Any] | None:
    """The current export's manifest, with ``export`` (its folder's name) added."""
    folder = open_data_folder(root=root)
    if folder is None:
        return None
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["export"] = folder.name
    return manifest


def open_data_file(*, name: str, root: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """A file of the current export by its name (only names the manifest lists), with its
    manifest entry; the manifest itself is ``manifest.json``."""
    folder = open_data_folder(root=root)
    if folder is None:
        return None
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if name == MANIFEST:
        return folder / MANIFEST, {"name": MANIFEST, "generated_at": manifest["generated_at"]}
    for entry in manifest["files"]:
        if entry["name"] == name:
            return folder / name, entry
    return None
