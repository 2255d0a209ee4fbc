import pytest

from moot.consultations.models import Consultation, Document
from moot.parliament.models import WrittenQuestion
from moot.search.documents import (
    alias_text,
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


def test_consultation_document_includes_the_contact_details_the_page_shows(demo: None) -> None:
    consultation = Consultation.objects.get(slug="safeguarding-children-from-sexual-exploitation")
    doc = consultation_document(consultation)
    assert doc is not None
    for detail in (
        "Children's Safeguards Policy Unit",
        "01325 392105",
        "seguidance.consultation@dcsf.gsi.gov.uk",
        "Room 331, Mowden Hall",
        "Staindrop Road",
        "DL3 9BG",
    ):
        assert detail in doc.body
    # The same email address for enquiries, responses and other formats: said once.
    assert doc.body.count("seguidance.consultation@dcsf.gsi.gov.uk") == 1


def test_alias_text_holds_acronyms_and_postcodes_beside_the_text(demo: None) -> None:
    consultation = Consultation.objects.get(slug="safeguarding-children-from-sexual-exploitation")
    doc = consultation_document(consultation)
    assert doc is not None
    aliases = alias_text(doc)
    assert "DL3 9BG DL39BG" in aliases
    assert "01325392105" in aliases
    assert any("aimed at LSCB partners" in alias for alias in aliases)


def test_document_document_includes_attachment_text(demo: None) -> None:
    doc = document_document(Document.objects.get(slug="sexual-exploitation-guidance-2009"))
    assert doc.kind == "document"
    assert "Local protocols" in doc.body
