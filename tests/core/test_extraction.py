"""Text extraction in the bounded child process: hostile files cost a bounded amount."""

from __future__ import annotations

import time

import pytest

from moot.core import files
from moot.core.errors import FileRejected
from moot.core.extraction import Limits, extract_bounded
from tests.core.hostile_files import hostile_docx, hostile_odt, pdf_with_huge_page_array
from tests.samples import make_docx, make_pdf

TIGHT = Limits(cpu_seconds=2, memory_bytes=384 * 1024 * 1024, wall_seconds=20)


def test_ordinary_files_are_extracted_in_the_child() -> None:
    pdf = extract_bounded(make_pdf("Safeguarding draft"), content_type=files.PDF, limits=TIGHT)
    assert pdf.extracted
    assert "Safeguarding draft" in pdf.text
    assert pdf.page_count == 1
    docx = extract_bounded(make_docx("About taxis"), content_type=files.DOCX, limits=TIGHT)
    assert "taxis" in docx.text


@pytest.mark.parametrize("make", [hostile_docx, hostile_odt])
def test_a_hostile_document_passes_upload_checks_but_extraction_gives_up_within_bounds(
    make,  # type: ignore[no-untyped-def]
) -> None:
    data = make()
    # Cheap checks at upload accept it: every member expands less than 100:1.
    assert files.sniff(data).content_type in {files.DOCX, files.ODT}
    started = time.monotonic()
    result = extract_bounded(data, content_type=files.sniff(data).content_type, limits=TIGHT)
    elapsed = time.monotonic() - started
    assert not result.extracted
    assert result.text == ""
    assert result.failure.startswith("Text not extracted: ")
    # Two seconds of CPU, plus the child's start: far short of the 14 s it costs unbounded.
    assert elapsed < 8


def test_the_wall_clock_timeout_kills_the_child() -> None:
    limits = Limits(cpu_seconds=60, memory_bytes=1024 * 1024 * 1024, wall_seconds=1)
    started = time.monotonic()
    result = extract_bounded(hostile_docx(), content_type=files.DOCX, limits=limits)
    assert time.monotonic() - started < 5
    assert result.failure == "Text not extracted: reading the file took too long."


def test_a_bomb_hidden_beside_a_stored_random_member_is_refused_at_upload() -> None:
    # Over the whole archive it expands ~60:1, under the old average check; its
    # document.xml alone expands a thousandfold.
    data = hostile_docx(varied=False)
    with pytest.raises(FileRejected, match="expands to far more data"):
        files.sniff(data)


def test_a_pdf_with_a_huge_page_array_is_not_a_500() -> None:
    data = pdf_with_huge_page_array()
    with pytest.raises(FileRejected, match="could not be read"):
        files.extract_text(data, content_type=files.PDF)
    result = extract_bounded(data, content_type=files.PDF, limits=TIGHT)
    assert not result.extracted
    assert "could not be read" in result.failure
