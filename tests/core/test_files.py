from __future__ import annotations

import io
import zipfile

import pytest

from moot.core import files
from moot.core.errors import FileRejected
from tests.samples import make_docx, make_odt, make_pdf


def test_sniffs_by_content_not_name() -> None:
    assert files.sniff(make_pdf()).content_type == files.PDF
    assert files.sniff(make_docx()).content_type == files.DOCX
    assert files.sniff(make_odt()).content_type == files.ODT
    assert files.sniff("plain text, £5".encode()).content_type == files.TEXT


def test_extracts_text_from_each_format() -> None:
    pdf = files.extract_text(make_pdf("Safeguarding draft"), content_type=files.PDF)
    assert "Safeguarding draft" in pdf.text
    assert pdf.page_count == 1
    assert "Word" in files.extract_text(make_docx(), content_type=files.DOCX).text
    assert "OpenDocument" in files.extract_text(make_odt(), content_type=files.ODT).text


def test_refuses_types_not_allowed() -> None:
    with pytest.raises(FileRejected, match="not accepted here"):
        files.sniff(make_pdf(), allowed={files.DOCX})


def test_refuses_binary_junk() -> None:
    with pytest.raises(FileRejected, match="not a type moot accepts"):
        files.sniff(b"\x00\x01\x02\x03binary")


def test_refuses_zip_bomb_dressed_as_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (20 * 1024 * 1024))
    with pytest.raises(FileRejected, match="expands to far more data"):
        files.sniff(buffer.getvalue())


def test_refuses_damaged_zip() -> None:
    with pytest.raises(FileRejected, match="cannot be opened"):
        files.sniff(b"PK\x03\x04" + b"garbage" * 20)


def test_refuses_encrypted_pdf() -> None:
    with pytest.raises(FileRejected, match="protected with a password"):
        files.extract_text(make_pdf(password="secret"), content_type=files.PDF)


def test_damaged_pdf_gets_a_clear_error() -> None:
    with pytest.raises(FileRejected, match="could not be read"):
        files.extract_text(b"%PDF-1.4\nnot really a pdf", content_type=files.PDF)
