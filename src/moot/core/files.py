"""Uploaded files: what they really are (from their bytes, never their names) and their text.

Every check here raises ``FileRejected`` with a message fit to show the person who uploaded
the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from moot.core.errors import FileRejected

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
TEXT = "text/plain"
CSV = "text/csv"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"

EXTENSIONS = {
    PDF: "pdf",
    DOCX: "docx",
    XLSX: "xlsx",
    ODT: "odt",
    ODS: "ods",
    TEXT: "txt",
    CSV: "csv",
    PNG: "png",
    JPEG: "jpg",
    TIFF: "tif",
}

# Limits on what a zip-based document (DOCX, ODT, XLSX) may expand to: a small file that
# inflates to gigabytes is an attack, not a consultation response.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 10_000
MAX_EXTRACTED_CHARS = 5_000_000


@dataclass(frozen=True)
class SniffedFile:
    content_type: str
    extension: str


# A member may always expand to this much, whatever its ratio (tiny XML parts compress badly).
MEMBER_RATIO_FLOOR_BYTES = 1024 * 1024
_CHUNK = 64 * 1024


def _refuse_expansion() -> FileRejected:
    return FileRejected(
        "The document expands to far more data than its size suggests, so it was "
        "refused. Save it again as a normal document, or send it as a PDF."
    )


def _check_expansion(archive: zipfile.ZipFile) -> None:
    """Judge each member by what it really decompresses to (its header may lie), streaming
    with a byte cap, so that a bomb is refused after at most its cap has been inflated and a
    stored random member cannot hide a highly compressed one in an average."""
    total = 0
    for member in archive.infolist():
        cap = max(MEMBER_RATIO_FLOOR_BYTES, member.compress_size * MAX_COMPRESSION_RATIO)
        size = 0
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > cap or total > MAX_UNCOMPRESSED_BYTES:
                        raise _refuse_expansion()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
            raise FileRejected("The file looks like a zip archive but cannot be opened.") from None
        except RuntimeError:  # an encrypted member
            raise FileRejected("The document is protected with a password.") from None


def _zip_document_type(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRejected("The file looks like a zip archive but cannot be opened.") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise FileRejected("The document contains too many parts to be opened safely.")
        _check_expansion(archive)
        names = {member.filename for member in members}
        if "mimetype" in names:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
            if mimetype in {ODT, ODS}:
                return mimetype
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


# The trailer (or cross-reference stream) of an encrypted PDF names its /Encrypt dictionary.
_PDF_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")


def _refuse_encrypted_pdf(data: bytes) -> None:
    """A cheap check on the bytes, so an encrypted PDF is refused at upload without parsing it."""
    if _PDF_ENCRYPT.search(data):
        raise FileRejected(
            "The PDF is protected with a password, so moot cannot read it. "
            "Send a copy without a password."
        )


def _looks_like_text(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the sample is still text.
        if error.start < len(sample) - 4:
            return False
    return True


def sniff(data: bytes, *, allowed: set[str] | None = None) -> SniffedFile:
    """Identify a file from its content; refuse it if it is not one of ``allowed``."""
    content_type: str | None = None
    if data.startswith(b"%PDF-"):
        content_type = PDF
        _refuse_encrypted_pdf(data)
    elif data.startswith(b"PK\x03\x04"):
        content_type = _zip_document_type(data)
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = PNG
    elif data.startswith(b"\xff\xd8\xff"):
        content_type = JPEG
    elif data[:4] in (b"II*\x00", b"MM\x00*"):
        content_type = TIFF
    elif data and _looks_like_text(data):
        content_type = TEXT
    if content_type is None:
        raise FileRejected("The file is not a type moot accepts.")
    if allowed is not None and content_type not in allowed:
        raise FileRejected(
            f"The file is a {EXTENSIONS[content_type].upper()} file, which is not accepted here."
        )
    return SniffedFile(content_type=content_type, extension=EXTENSIONS[content_type])


def _pdf_text(data: bytes) -> tuple[str, int]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise FileRejected(
                "The PDF is protected with a password, so moot cannot read it. "
                "Send a copy without a password."
            )
        pages = []
        length = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            pages.append(text)
            length += len(text)
            if length > MAX_EXTRACTED_CHARS:
                break
        return "\n\n".join(pages), len(reader.pages)
    except FileRejected:
        raise
    # pypdf's whole error family, and what it lets escape on malformed files.
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        AssertionError,
        ZeroDivisionError,
        RecursionError,
        OverflowError,
        UnicodeError,
        EOFError,
    ) as error:
        raise FileRejected(f"The PDF could not be read ({error}).") from error


def _docx_text(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a damaged file
        raise FileRejected("The Word document could not be read.") from error
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _odt_text(data: bytes) -> str:
    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
    except Exception as error:  # odfpy raises many kinds on a damaged file
        raise FileRejected("The OpenDocument file could not be read.") from error
    blocks = {(TEXTNS, "p"), (TEXTNS, "h")}
    lines = []
    # Depth-first in document order, without recursion: a hostile file may nest deeply.
    stack = list(reversed(document.text.childNodes))
    while stack:
        node = stack.pop()
        if node.nodeType != node.ELEMENT_NODE:
            continue
        if node.qname in blocks:
            lines.append(teletype.extractText(node))
        else:
            stack.extend(reversed(node.childNodes))
    return "\n".join(lines)


@dataclass(frozen=True)
class ExtractedText:
    text: str
    page_count: int | None


def extract_text(data: bytes, *, content_type: str) -> ExtractedText:
    """The text of a PDF, Word, OpenDocument or plain-text file, for search and analysis."""
    if content_type == PDF:
        text, pages = _pdf_text(data)
        return ExtractedText(text=text[:MAX_EXTRACTED_CHARS], page_count=pages)
    if content_type == DOCX:
        return ExtractedText(text=_docx_text(data)[:MAX_EXTRACTED_CHARS], page_count=None)
    if content_type == ODT:
        return ExtractedText(text=_odt_text(data)[:MAX_EXTRACTED_CHARS], page_count=None)
    if content_type in {TEXT, CSV}:
        return ExtractedText(
            text=data.decode("utf-8", "replace")[:MAX_EXTRACTED_CHARS], page_count=None
        )
    return ExtractedText(text="", page_count=None)
