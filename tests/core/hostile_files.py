"""Hostile documents for the extraction tests, built here rather than shipped."""

from __future__ import annotations

import io
import os
import random
import zipfile

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _paragraphs(megabytes: int, *, varied: bool, template: str) -> bytes:
    """Millions of tiny paragraphs: cheap to inflate, costly to parse into objects. With
    ``varied`` each carries a random number, so it compresses like ordinary XML (well under
    100:1) and passes the upload check; without, it compresses a thousandfold."""
    rng = random.Random(7)
    out = io.StringIO()
    size = 0
    while size < megabytes * 1024 * 1024:
        piece = template.format(rng.randrange(10**6) if varied else 1)
        out.write(piece)
        size += len(piece)
    return out.getvalue().encode()


def hostile_docx(*, megabytes: int = 20, varied: bool = True, random_kb: int = 300) -> bytes:
    body = _paragraphs(megabytes, varied=varied, template="<w:p><w:r><w:t>{}</w:t></w:r></w:p>")
    document = f"<w:document {_W}><w:body>".encode() + body + b"</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
        # Random bytes, stored: they raise the archive's size but not its expansion.
        archive.writestr("word/media/noise.bin", os.urandom(random_kb * 1024), zipfile.ZIP_STORED)
    return buffer.getvalue()


def hostile_odt(*, megabytes: int = 20, varied: bool = True, random_kb: int = 300) -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = _paragraphs(megabytes, varied=varied, template="<text:p>{}</text:p>")
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
        "<office:body><office:text>".encode()
        + body
        + b"</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
        archive.writestr("noise.bin", os.urandom(random_kb * 1024), zipfile.ZIP_STORED)
    return buffer.getvalue()


def pdf_with_huge_page_array(entries: int = 200_000) -> bytes:
    """A PDF whose page tree claims 200,000 kids, all pointing at one missing object."""
    kids = b" ".join(b"3 0 R" for _ in range(entries))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [" % entries + kids + b"] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
