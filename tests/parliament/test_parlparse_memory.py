"""Reading a ParlParse file takes the same memory whatever its length and whatever it holds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Run in a fresh process, so its peak resident size is this reading's alone.
READ_AND_REPORT_PEAK = """
import resource, sys
from pathlib import Path
from moot.parliament.importers.parlparse import QuestionGroup, read_file, source_file
header, records = read_file(source_file(Path(sys.argv[1])))
groups = sum(isinstance(record, QuestionGroup) for record in records)
print(groups, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write_day(path: Path, *, blocks: int) -> Path:
    """A day of ten records, then a long run of elements that are not records (speeches,
    notes): read as a stream filtered to records, that run was never freed."""
    filler = "".join(
        f'<speech id="s{n}"><p>Filler paragraph {n} with &pound; and text.</p><p>More.</p>'
        f"<note>n</note></speech>\n"
        for n in range(200)
    )
    with path.open("w", encoding="latin-1") as out:
        out.write(
            '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
            '<!DOCTYPE publicwhip [\n <!ENTITY pound "&#163;">\n]>\n'
            '<publicwhip scrapeversion="a" latest="yes">\n'
        )
        for block in range(10):
            out.write(
                f"<minor-heading>Subject {block}</minor-heading>\n"
                f'<ques id="uk.org.publicwhip/wrans/2009-11-06a.{block}.q0" speakername="X">'
                f'<p qnum="{block}">Question {block}</p></ques>\n'
                f'<reply id="uk.org.publicwhip/wrans/2009-11-06a.{block}.r0" speakername="Y">'
                f"<p>Answer {block}</p></reply>\n"
            )
        for _ in range(blocks):
            out.write(filler)
        out.write("</publicwhip>\n")
    return path


def peak_kilobytes(path: Path) -> tuple[int, int]:
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", READ_AND_REPORT_PEAK, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    groups, peak = result.stdout.split()
    return int(groups), int(peak)


def test_memory_stays_flat_on_a_file_mostly_of_elements_that_are_not_records(
    tmp_path: Path,
) -> None:
    (tmp_path / "small").mkdir()
    (tmp_path / "large").mkdir()
    small = write_day(tmp_path / "small" / "answers2009-11-06a.xml", blocks=150)
    large = write_day(tmp_path / "large" / "answers2009-11-06a.xml", blocks=1200)
    assert large.stat().st_size > 7 * small.stat().st_size > 20_000_000
    small_groups, small_peak = peak_kilobytes(small)
    large_groups, large_peak = peak_kilobytes(large)
    assert (small_groups, large_groups) == (10, 10)
    # Eight times the file, the same memory: what grows is at most the read buffer and a
    # batch of records (a few megabytes), never the file.
    assert large_peak - small_peak < 16 * 1024, (small_peak, large_peak)
