import pytest

from moot.consultations.models import Consultation, Document
from moot.parliament.models import WrittenQuestion
from moot.search.documents import (
    consultation_document,
    document_document,
    question_document,
)
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def test_question_document_carries_people_parties_and_answer_text(demo: None) -> None:
    question = WrittenQuestion.objects.get(identifier="children-sexual-offences")
    doc = question_document(question)
    assert doc.key == f"question:{question.pk}"
    assert doc.kind == "question"
    assert doc.title == "Children: Sexual Offences"
    assert "tackle child sexual exploitation" in doc.body
    assert "Bichard Inquiry" in doc.body  # from the answer
    assert doc.member_slugs == ("helen-southworth", "kevin-brennan")
    assert doc.party_slugs == ("labour",)
    assert doc.department_slugs == ("department-for-children-schools-and-families",)
    assert doc.url == "/written-questions/2007-12-03/children-sexual-offences/"


def test_consultation_document_includes_sections_and_attachment_text(demo: None) -> None:
    consultation = Consultation.objects.get(slug="safeguarding-children-from-sexual-exploitation")
    doc = consultation_document(consultation)
    assert doc is not None
    assert "Executive summary" in doc.body
    assert "Local protocols" in doc.body  # from the attached draft guidance
    assert consultation_document(ConsultationFactory(published_at=None)) is None


def test_document_document_includes_attachment_text(demo: None) -> None:
    doc = document_document(Document.objects.get(slug="sexual-exploitation-guidance-2009"))
    assert doc.kind == "document"
    assert "Local protocols" in doc.body
