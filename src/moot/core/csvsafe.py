"""CSV cells that cannot run as spreadsheet formulas, for every CSV moot writes.

A spreadsheet program opening a CSV runs a cell that starts with one of these characters as
a formula (``=HYPERLINK(...)`` in a question's heading becomes a live link, or worse). Such a
cell is written with a leading apostrophe, which spreadsheets read as "this is text" and do
not show; ``csv_cell_unescape`` takes it off again when moot reads its own file back.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell_safe(text: str) -> str:
    """The cell as written to a CSV: prefixed with an apostrophe if it could be a formula."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_cell_unescape(text: str) -> str:
    """The inverse of ``csv_cell_safe``."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text
