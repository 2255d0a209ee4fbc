"""The ONS Postcode Directory (ONSPD) read into plain records; no database.

Two CSV files of the directory are read, told apart by their header row:

- the directory itself (``ONSPD_…_UK.csv``): a postcode in ``pcds`` (``SW1A 0AA``), ``pcd``,
  ``pcd7`` or ``pcd8``, the day it was terminated in ``doterm`` (empty while in use) and
  its Westminster constituency's code in ``pcon`` (or ``pconNN`` / ``pconNNcd``);
- the constituency names and codes lookup from its ``Documents`` folder (``PCONNNCD`` and
  ``PCONNNNM`` columns, for example ``PCON24CD,PCON24NM``).

Header names are matched without regard to case. A row that is not what it should be is
reported by line and skipped; a file that is neither is refused.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from moot.core.errors import FileRejected

# Outward code (A9, A99, AA9, AA99, A9A, AA9A) and inward code (9AA), spaces removed.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
GSS_CODE = re.compile(r"^[EWSN][0-9]{8}$")
POSTCODE_COLUMNS = ("pcds", "pcd", "pcd7", "pcd8")
CONSTITUENCY_COLUMN = re.compile(r"^pcon(?:[0-9]{2})?(?:cd)?$")
NAME_CODE_COLUMN = re.compile(r"^pcon[0-9]{2}cd$")
NAME_COLUMN = re.compile(r"^pcon[0-9]{2}nm$")
MAX_FIELD = 1000
# No field of the directory comes near this; a longer one means the row is not a record.
MAX_ROW_FIELD = 10_000


def postcode_normalised(value: str) -> str | None:
    """``sw1a 0aa``, ``SW1A0AA`` and `` SW1A  0AA `` all become ``SW1A0AA``; None when it is
    not a postcode's shape."""
    compact = "".join(value.split()).upper()
    return compact if len(compact) <= 7 and POSTCODE.match(compact) else None


@dataclass(frozen=True, slots=True)
class PostcodeRecord:
    postcode: str
    constituency_code: str  # empty for a terminated postcode
    terminated: bool


@dataclass(frozen=True, slots=True)
class ConstituencyName:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    message: str


def _find(header: list[str], pattern: re.Pattern[str]) -> int | None:
    return next((i for i, name in enumerate(header) if pattern.match(name)), None)


def read_file(path: Path) -> Iterator[PostcodeRecord | ConstituencyName | RowProblem]:
    """Every record of the file in order, and a problem for each bad row. Raises
    ``FileRejected`` for a file that is not one of the two (or not UTF-8 text)."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise FileRejected(f"cannot be read: {error.strerror or error}") from None
    with handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            header = [name.strip().lower() for name in next(reader, [])]
        except UnicodeDecodeError:
            raise FileRejected("is not a CSV file of UTF-8 text") from None
        except csv.Error as error:
            raise FileRejected(f"is not a CSV file: {error}") from None
        postcode_at = next(
            (header.index(name) for name in POSTCODE_COLUMNS if name in header), None
        )
        constituency_at = _find(header, CONSTITUENCY_COLUMN)
        name_code_at, name_at = _find(header, NAME_CODE_COLUMN), _find(header, NAME_COLUMN)
        if postcode_at is not None and constituency_at is not None:
            terminated_at = header.index("doterm") if "doterm" in header else None
            rows = _rows(reader)
            for line, row in rows:
                yield _postcode(line, row, postcode_at, constituency_at, terminated_at)
        elif name_code_at is not None and name_at is not None:
            for line, row in _rows(reader):
                yield _name(line, row, name_code_at, name_at)
        else:
            raise FileRejected(
                "is not an ONS Postcode Directory file: its header names no postcode (pcds) "
                "and constituency (pcon) columns, nor constituency codes and names "
                "(PCON24CD, PCON24NM)"
            )


def _rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str] | RowProblem]]:
    line = 1
    while True:
        line += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise FileRejected(f"line {line} is not UTF-8 text") from None
        except csv.Error as error:
            yield line, RowProblem(line, f"is not a CSV row: {error}")
            continue
        # Checked here, not left to the csv module's field limit: that limit is one for the
        # whole process, and another importer may have raised it.
        if any(len(field) > MAX_ROW_FIELD for field in row):
            yield (
                line,
                RowProblem(line, f"is not a CSV row: a field is over {MAX_ROW_FIELD:,} characters"),
            )
            continue
        yield line, row


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()[:MAX_FIELD]


def _postcode(
    line: int,
    row: list[str] | RowProblem,
    postcode_at: int,
    constituency_at: int,
    terminated_at: int | None,
) -> PostcodeRecord | RowProblem:
    if isinstance(row, RowProblem):
        return row
    raw = _cell(row, postcode_at)
    postcode = postcode_normalised(raw)
    if postcode is None:
        return RowProblem(line, f"{raw[:20]!r} is not a postcode")
    terminated = bool(_cell(row, terminated_at))
    code = _cell(row, constituency_at).upper()
    if terminated:
        return PostcodeRecord(postcode, "", terminated=True)
    if not GSS_CODE.match(code):
        return RowProblem(line, f"{code[:20]!r} is not a constituency code (such as E14000530)")
    return PostcodeRecord(postcode, code, terminated=False)


def _name(
    line: int, row: list[str] | RowProblem, code_at: int, name_at: int
) -> ConstituencyName | RowProblem:
    if isinstance(row, RowProblem):
        return row
    code, name = _cell(row, code_at).upper(), _cell(row, name_at)
    if not GSS_CODE.match(code):
        return RowProblem(line, f"{code[:20]!r} is not a constituency code (such as E14000530)")
    if not name:
        return RowProblem(line, "has no constituency name")
    return ConstituencyName(code, name[:200])
