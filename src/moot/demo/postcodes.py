"""The demo's postcode directory: made-up postcodes for the demo's constituencies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from moot.parliament.services.postcodes import postcodes_import

FOLDER = Path(__file__).resolve().parent / "fixtures" / "postcodes"


def load_demo_postcodes(summary: Any) -> None:
    """Import the demo files (idempotent: a second run creates nothing)."""
    imported = postcodes_import(paths=sorted(FOLDER.glob("*.csv")))
    for _ in range(imported.get("postcodes", "created")):
        summary.add("postcodes", True)
