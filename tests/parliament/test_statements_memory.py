"""Reading and importing a ParlParse statements file takes the same memory whatever its
length."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Run in a fresh process, so its peak resident size is this reading's alone.
READ_AND_REPORT_PEAK = """
import resource, sys
from pathlib import Path
from moot.parliament.importers.parlparse_statements import (
    ParsedStatement, read_file, source_file,
)
header, records = read_file(source_file(Path(sys.argv[1])))
statements = sum(isinstance(record, ParsedStatement) for record in records)
print(statements, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write_day(path: Path, *, statements: int) -> Path:
    """A day of ``statements`` statements, each a heading and a speech of some length."""
    paragraph = "<p>" + "The Government will publish guidance &pound; and more text. " * 20 + "</p>"
    with path.open("w", encoding="latin-1") as out:
        out.write(
            '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
            '<!DOCTYPE publicwhip [\n <!ENTITY pound "&#163;">\n]>\n'
            '<publicwhip scrapeversion="a" latest="yes">\n'
            '<major-heading id="uk.org.publicwhip/wms/2009-11-06a.1WS.0">Health</major-heading>\n'
        )
        for n in range(statements):
            out.write(
                f'<minor-heading id="uk.org.publicwhip/wms/2009-11-06a.{n + 2}WS.0">'
                f"Statement {n}</minor-heading>\n"
                f'<speech id="uk.org.publicwhip/wms/2009-11-06a.{n + 2}WS.1" speakername="X">'
                f"{paragraph * 3}</speech>\n"
            )
        out.write("</publicwhip>\n")
    return path


def peak_kilobytes(path: Path) -> tuple[int, int]:
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", READ_AND_REPORT_PEAK, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    statements, peak = result.stdout.split()
    return int(statements), int(peak)


def test_memory_stays_flat_however_many_statements_a_file_holds(tmp_path: Path) -> None:
    small = write_day(tmp_path / "ministerial2009-11-06a.xml", statements=2_000)
    (tmp_path / "large").mkdir()
    large = write_day(tmp_path / "large" / "ministerial2009-11-06a.xml", statements=16_000)
    assert large.stat().st_size > 7 * small.stat().st_size > 20_000_000
    small_count, small_peak = peak_kilobytes(small)
    large_count, large_peak = peak_kilobytes(large)
    assert (small_count, large_count) == (2_000, 16_000)
    # Eight times the statements, the same memory: the records stream past one at a time.
    assert large_peak - small_peak < 16 * 1024, (small_peak, large_peak)
