"""Benchmark: importing ParlParse written ministerial statements, against the raw parse of
the same files.

    python bench/statements_import.py                     # 20,000 statements
    python bench/statements_import.py --statements 2000   # a quick look

Writes a synthetic corpus in ParlParse's statements format (``ministerial<day>a.xml``: an
internal DTD of named entities, department headings, statement titles, one or two speeches
each, some with tables) to a temporary folder. Then, in the same run, it measures:

- the raw parse rate: lxml's iterparse over the same files, counting speeches (the
  baseline);
- moot's statements parser alone (records built and HTML sanitised, no database);
- ``moot import-parlparse`` of those files into a new SQLite database, in a fresh process,
  with its peak memory, then the same import again (every file skipped as unchanged).

The figures come from this synthetic corpus only, not from real Hansard files (none are
in ../shared/data).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
STATEMENTS_PER_DAY = 40
DTD = """<?xml version="1.0" encoding="ISO-8859-1"?>

<!DOCTYPE publicwhip
[
<!ENTITY ndash   "&#8211;">
<!ENTITY lsquo   "&#8216;">
<!ENTITY rsquo   "&#8217;">
<!ENTITY pound  "&#163;" >
]>

"""
DEPARTMENTS = ["Work and Pensions", "Children, Schools and Families", "Health", "Defence"]
WORDS = ["guidance", "local", "authorities", "children", "families", "safeguarding", "review"]


def write_corpus(folder: Path, statements: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    files = []
    day = 0
    written = 0
    while written < statements:
        date = f"2008-{1 + day // 28:02d}-{1 + day % 28:02d}"
        path = folder / f"ministerial{date}a.xml"
        parts = [DTD, '<publicwhip scrapeversion="a" latest="yes">\n']
        column = 1
        for n in range(min(STATEMENTS_PER_DAY, statements - written)):
            if n % 10 == 0:
                department = DEPARTMENTS[(n // 10) % len(DEPARTMENTS)]
                parts.append(
                    f'<major-heading id="uk.org.publicwhip/wms/{date}a.{column}WS.0">'
                    f"{department}</major-heading>\n"
                )
            title = " ".join(rng.choice(WORDS) for _ in range(4)).title()
            parts.append(
                f'<minor-heading id="uk.org.publicwhip/wms/{date}a.{column}WS.1">'
                f"{title}</minor-heading>\n"
            )
            for speech in range(1 + n % 2):
                text = " ".join(rng.choice(WORDS) for _ in range(120))
                table = (
                    "<table><tr><td>&pound;1m</td><td>2008&ndash;09</td></tr></table>"
                    if n % 5 == 0
                    else ""
                )
                parts.append(
                    f'<speech id="uk.org.publicwhip/wms/{date}a.{column}WS.{speech + 2}" '
                    f'speakerid="uk.org.publicwhip/member/{1000 + n}" speakername="Minister {n}" '
                    f'colnum="{column}WS"><p>&lsquo;{text}&rsquo;</p>{table}</speech>\n'
                )
            column += 1
            written += 1
        parts.append("</publicwhip>\n")
        path.write_text("".join(parts), encoding="latin-1")
        files.append(path)
        day += 1
    return files


def raw_parse(files: list[Path]) -> tuple[int, float]:
    from lxml import etree

    start = time.perf_counter()
    count = 0
    for path in files:
        for _, element in etree.iterparse(str(path), events=("end",), load_dtd=True):
            if element.tag == "speech":
                count += 1
            if element.getparent() is not None and element.getparent().tag == "publicwhip":
                element.clear()
    return count, time.perf_counter() - start


def moot_parse(files: list[Path]) -> tuple[int, float]:
    from moot.parliament.importers.parlparse_statements import (
        ParsedStatement,
        read_file,
        source_file,
    )

    start = time.perf_counter()
    count = 0
    for path in files:
        _, records = read_file(source_file(path))
        count += sum(isinstance(record, ParsedStatement) for record in records)
    return count, time.perf_counter() - start


IMPORT = """
import resource, sys, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from pathlib import Path
from moot.parliament.services.parlparse import parlparse_import
for label in ("first", "again"):
    start = time.perf_counter()
    summary = parlparse_import(paths=[Path(sys.argv[1])])
    elapsed = time.perf_counter() - start
    print(label, summary.get("statements", "created"), summary.get("statements", "unchanged"),
          summary.errors, f"{elapsed:.2f}")
print("peak", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def moot_import(folder: Path, database: Path) -> list[str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "moot.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "bench",
        "MOOT_VAR_DIR": str(database.parent),
    }
    result = subprocess.run(
        [sys.executable, "-c", IMPORT, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        cwd=REPOSITORY,
    )
    return result.stdout.splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=20_000)
    args = parser.parse_args()
    sys.path.insert(0, str(REPOSITORY / "src"))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "wms"
        folder.mkdir()
        files = write_corpus(folder, args.statements)
        size = sum(path.stat().st_size for path in files)
        print(
            f"corpus: {args.statements:,} statements in {len(files):,} files, {size / 2**20:.1f} MB"
        )
        speeches, raw_seconds = raw_parse(files)
        print(f"raw lxml parse: {speeches:,} speeches in {raw_seconds:.2f}s")
        parsed, parse_seconds = moot_parse(files)
        print(
            f"moot parser: {parsed:,} statements in {parse_seconds:.2f}s "
            f"({parsed / parse_seconds:,.0f} a second; the raw parse takes "
            f"{raw_seconds / parse_seconds:.0%} of its time)"
        )
        lines = moot_import(folder, Path(scratch) / "bench.sqlite3")
        first = lines[0].split()
        again = lines[1].split()
        peak = int(lines[2].split()[1])
        seconds = float(first[4])
        print(
            f"moot import-parlparse (SQLite): {int(first[1]):,} created, {first[3]} errors, "
            f"{seconds:.2f}s ({int(first[1]) / seconds:,.0f} statements a second, "
            f"{seconds / parse_seconds:.1f}× the parse alone); peak memory {peak / 1024:.0f} MB"
        )
        print(
            f"the same import again: {int(again[2]):,} unchanged, {int(again[1])} created, "
            f"{float(again[4]):.2f}s"
        )


if __name__ == "__main__":
    main()
