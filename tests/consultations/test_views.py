import re

import pytest
from django.test import Client

from moot.consultations.models import Attachment, Consultation
from tests.factories import ConsultationFactory, SectionFactory
from tests.pages import text_of

SEED = "/consultations/safeguarding-children-from-sexual-exploitation/"

pytestmark = pytest.mark.django_db


def test_seed_consultation_page_has_every_section_in_order(client: Client, demo: None) -> None:
    html = client.get(SEED).content.decode()
    headings = re.findall(r'<h2 class="govuk-heading-l" id="section-\d+-heading">(.*?)</h2>', html)
    assert headings == [
        "1. Executive summary",
        "2. Background and context",
        "3. The proposals",
        "4. How to respond",
        "5. Additional copies",
        "6. Plans for making results public",
    ]
    text = text_of(html)
    assert "Safeguarding children and young people from sexual exploitation" in text
    assert "Department for Children, Schools and Families" in text
    assert "This draft guidance aims to provide practitioners" in text
    assert "Children's Safeguards Policy Unit" in text
    assert "Telephone: 01325 392105" in text
    assert "seguidance.consultation@dcsf.gsi.gov.uk" in text
    assert "This consultation has closed" in text
    assert "11:59pm on 12 June 2008" in text
    assert "We will publish an analysis of the results of this consultation" in text


def test_seed_page_lists_the_draft_document_and_the_postal_address(
    client: Client, demo: None
) -> None:
    html = client.get(SEED).content.decode()
    attachment = Attachment.objects.get(
        consultation__slug="safeguarding-children-from-sexual-exploitation", role="document"
    )
    assert f'/attachments/{attachment.id}/"' in html
    assert "MS Word Document" in html
    address = re.search(
        r'<address class="govuk-body moot-address"[^>]*>(.*?)</address>', html, re.S
    )
    assert address is not None
    lines = [line.strip() for line in re.split(r"<br>", address.group(1)) if line.strip()]
    assert lines[0] == "Sexual Exploitation Guidance Consultation"
    assert lines[-1] == "DL3 9BG"
    assert len(lines) == 8


def test_published_outcome_links_to_the_final_guidance(client: Client, demo: None) -> None:
    html = client.get(SEED).content.decode()
    assert 'id="outcome"' in html
    assert "/documents/sexual-exploitation-guidance-2009/" in html


def test_attachment_downloads_with_its_real_type(client: Client, demo: None) -> None:
    attachment = Attachment.objects.filter(
        consultation__slug="safeguarding-children-from-sexual-exploitation"
    ).first()
    assert attachment is not None
    response = client.get(f"{SEED}attachments/{attachment.id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == attachment.content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_attachment_of_another_consultation_is_not_found(client: Client, demo: None) -> None:
    attachment = Attachment.objects.filter(
        consultation__slug="safeguarding-children-from-sexual-exploitation"
    ).first()
    assert attachment is not None
    other = Consultation.objects.exclude(
        slug="safeguarding-children-from-sexual-exploitation"
    ).first()
    assert other is not None
    assert (
        client.get(f"/consultations/{other.slug}/attachments/{attachment.id}/").status_code == 404
    )


def test_open_consultation_shows_closing_date(client: Client) -> None:
    consultation = ConsultationFactory()
    text = text_of(client.get(consultation.get_absolute_url()).content.decode())
    assert "Closes " in text
    assert "This consultation has closed" not in text


def test_consultation_held_elsewhere_links_to_it(client: Client) -> None:
    consultation = ConsultationFactory(
        external_url="https://consult.example.org/thing", respond_online=False
    )
    SectionFactory(consultation=consultation, kind="how_to_respond", heading="How to respond")
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert 'href="https://consult.example.org/thing"' in html
    assert "Respond on the consultation website" in html


def test_draft_consultation_is_not_public(client: Client) -> None:
    consultation = ConsultationFactory(published_at=None)
    assert client.get(consultation.get_absolute_url()).status_code == 404


def test_section_markdown_cannot_inject_html(client: Client) -> None:
    consultation = ConsultationFactory()
    SectionFactory(consultation=consultation, body='<script>alert("x")</script> **bold**')
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html


def test_list_filters_by_status_and_department(client: Client, demo: None) -> None:
    html = client.get("/consultations/?status=open").content.decode()
    assert "Information sharing between agencies" in html
    assert "Reducing the use of restraint" not in html
    html = client.get("/consultations/?department=home-office").content.decode()
    assert "The police response to children who go missing" in html
    assert "Information sharing between agencies" not in html


def test_list_ignores_unknown_filter_values(client: Client, demo: None) -> None:
    response = client.get("/consultations/?status=bogus&department=nowhere")
    assert response.status_code == 200


def test_document_page_shows_relations_in_words(client: Client, demo: None) -> None:
    text = text_of(
        client.get("/documents/sexual-exploitation-draft-guidance-2008/").content.decode()
    )
    assert "replaces Safeguarding Children Involved in Prostitution (2000)" in text
    assert "supplements Working Together to Safeguard Children (2006)" in text
    assert (
        "has the final version Safeguarding Children and Young People from Sexual "
        "Exploitation (2009)" in text
    )
    final = text_of(client.get("/documents/sexual-exploitation-guidance-2009/").content.decode())
    assert (
        "is the final version of Safeguarding children and young people from sexual "
        "exploitation: draft guidance (2008)" in final
    )
    assert "Version 1 (current), 30 June 2009" in final
