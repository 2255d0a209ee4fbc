import hashlib

import pytest

from moot.consultations.services import attachment_create
from moot.core.errors import FileRejected
from tests.factories import ConsultationFactory
from tests.samples import make_docx, make_pdf

pytestmark = pytest.mark.django_db


def test_attachment_type_size_hash_and_text_come_from_the_file() -> None:
    consultation = ConsultationFactory()
    data = make_docx("Draft guidance on sexual exploitation")
    attachment = attachment_create(title="Draft guidance", data=data, consultation=consultation)
    assert attachment.content_type.endswith("wordprocessingml.document")
    assert attachment.size_bytes == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert "sexual exploitation" in attachment.extracted_text
    assert attachment.file.name.endswith("draft-guidance.docx")
    assert attachment.format_label == "MS Word Document"


def test_pdf_records_its_page_count() -> None:
    attachment = attachment_create(
        title="Form", data=make_pdf(), consultation=ConsultationFactory()
    )
    assert attachment.page_count == 1
    assert attachment.format_label == "PDF"


def test_rejected_file_stores_nothing() -> None:
    consultation = ConsultationFactory()
    with pytest.raises(FileRejected):
        attachment_create(title="Bad", data=b"\x00\x01binary", consultation=consultation)
    assert consultation.attachments.count() == 0
