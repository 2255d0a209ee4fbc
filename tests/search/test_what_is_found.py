"""Everything a page shows can be found: a consultation's contact details, postcodes with or
without their space, and acronyms where the text spells them out (and the other way)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from moot.consultations.models import Consultation, Document
from moot.parliament.models import WrittenQuestion
from moot.search.indexer import all_documents
from moot.search.selectors import search_results
from moot.search.services import search_index_rebuild
from tests.factories import (
    ConsultationFactory,
    DocumentFactory,
    SectionFactory,
    WrittenQuestionFactory,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def found(query: str) -> set[str]:
    results = search_results(query=query, page_size=100)
    assert results.error == "", results.error
    return {hit.document.key for hit in results.hits}


# --- With the demo data --------------------------------------------------------------


@pytest.fixture
def demo_index(demo: None) -> dict[str, str]:
    search_index_rebuild()
    consultation = Consultation.objects.get(slug="safeguarding-children-from-sexual-exploitation")
    question = WrittenQuestion.objects.get(identifier="children-sexual-offences")
    guidance = Document.objects.get(slug="sexual-exploitation-guidance-2009")
    return {
        "consultation": f"consultation:{consultation.pk}",
        "question": f"question:{question.pk}",
        "guidance": f"document:{guidance.pk}",
    }


def test_the_demo_consultations_postal_address_email_and_phone_are_found(
    demo_index: dict[str, str],
) -> None:
    consultation = demo_index["consultation"]
    for query in (
        "Mowden Hall",
        '"Mowden Hall"',
        '"Room 331"',
        "Staindrop Road Darlington",
        "seguidance.consultation@dcsf.gsi.gov.uk",
        '"Children\'s Safeguards Policy Unit"',
        '"01325 392105"',
        "01325392105",
    ):
        assert found(query) == {consultation}, query


@pytest.mark.parametrize("postcode", ["DL3 9BG", '"DL3 9BG"', "DL39BG", "dl39bg", '"dl3 9bg"'])
def test_a_postcode_is_found_with_or_without_its_space(
    demo_index: dict[str, str], postcode: str
) -> None:
    assert found(postcode) == {demo_index["consultation"]}


def _pages_mentioning(pattern: str) -> set[str]:
    """Keys of the pages whose own text matches ``pattern``, read from the database."""
    return {
        document.key
        for document in all_documents()
        if re.search(pattern, f"{document.title}\n{document.body}", re.IGNORECASE)
    }


def test_lscb_finds_the_pages_that_spell_it_out(demo_index: dict[str, str]) -> None:
    mentioning = _pages_mentioning(r"\bLSCBs?\b|local safeguarding children boards?")
    spelt_out_only = mentioning - _pages_mentioning(r"\bLSCBs?\b")
    # The seed consultation: "aimed at Local Safeguarding Children Board partners".
    assert demo_index["consultation"] in spelt_out_only
    assert demo_index["guidance"] in spelt_out_only
    assert found("LSCB") == mentioning
    assert found("lscb") == mentioning
    assert found('"Local Safeguarding Children Board"') == mentioning
    # The wrong pages are not found: the demo has pages about children that never say it.
    assert found("children") - mentioning
    assert found("LSCB") & (found("children") - mentioning) == set()


def test_an_acronym_is_left_out_with_its_full_name(demo_index: dict[str, str]) -> None:
    mentioning = _pages_mentioning(r"\bLSCBs?\b|local safeguarding children boards?")
    left = found("exploitation NOT LSCB")
    assert left
    assert left == found("exploitation") - mentioning
    assert demo_index["consultation"] not in left


def test_a_snippet_marks_the_full_name_an_acronym_found(demo_index: dict[str, str]) -> None:
    results = search_results(query="LSCB type:consultation")
    hit = next(hit for hit in results.hits if hit.document.key == demo_index["consultation"])
    assert "<mark>Local</mark> <mark>Safeguarding</mark>" in hit.snippet_html


def test_the_search_page_finds_the_address_and_the_acronym(
    client: Client, demo_index: dict[str, str]
) -> None:
    html = client.get("/search/", {"q": "DL39BG"}).content.decode()
    assert "1 result for" in text_of(html)
    assert "Safeguarding children and young people from sexual exploitation" in html
    html = client.get("/search/", {"q": "LSCB NOT type:document"}).content.decode()
    assert f'data-key="{demo_index["consultation"]}"' in html
    assert f'data-key="{demo_index["guidance"]}"' not in html


# --- Small fixtures -----------------------------------------------------------------


def test_every_contact_detail_of_a_consultation_is_searchable(db: None) -> None:
    consultation = ConsultationFactory(
        enquiries_unit="Puffin Policy Unit",
        enquiries_telephone="020 7925 0918",
        enquiries_email="puffins@example.gov.uk",
        response_email="replies@puffins.example",
        response_postal_address="Puffin House\n1 Cliff Road\nSW1P 3BT",
        alternative_formats_email="braille@puffins.example",
    )
    other = ConsultationFactory(response_postal_address="Gannet House\nSW1P 4DF")
    search_index_rebuild()
    key = f"consultation:{consultation.pk}"
    for query in (
        '"Puffin Policy Unit"',
        "02079250918",
        '"020 7925 0918"',
        "puffins@example.gov.uk",
        "replies@puffins.example",
        '"Cliff Road"',
        "SW1P3BT",
        '"SW1P 3BT"',
        "braille@puffins.example",
    ):
        assert found(query) == {key}, query
    assert found("SW1P4DF") == {f"consultation:{other.pk}"}


@pytest.mark.django_db(transaction=True)
def test_a_changed_address_is_found_once_the_change_is_indexed() -> None:
    from tests.search.conftest import update

    consultation = ConsultationFactory(response_postal_address="Old Lighthouse\nTR1 1AA")
    search_index_rebuild()
    assert found("TR11AA") == {f"consultation:{consultation.pk}"}
    Consultation.objects.filter(pk=consultation.pk).update(
        response_postal_address="New Lighthouse\nTR2 2BB"
    )
    update()
    assert found("TR11AA") == set()
    assert found("TR22BB") == {f"consultation:{consultation.pk}"}


def test_known_acronyms_and_full_names_find_each_other(db: None) -> None:
    spelt_out = WrittenQuestionFactory(
        heading="Safeguarding boards",
        text="To ask how many Local Safeguarding Children Boards have met this year.",
    )
    abbreviated = WrittenQuestionFactory(
        heading="Boards", text="To ask what the LSCBs' partners have been told."
    )
    unrelated = WrittenQuestionFactory(heading="Boards", text="To ask about school boards.")
    search_index_rebuild()
    both = {f"question:{spelt_out.pk}", f"question:{abbreviated.pk}"}
    assert found("LSCB") == both
    assert found('"local safeguarding children board"') == both
    # In a phrase, too: the full name stands in the acronym's place.
    assert found('"Local Safeguarding Children Board partners"') == {f"question:{abbreviated.pk}"}
    assert found('"LSCBs have met"') == {f"question:{spelt_out.pk}"}
    assert f"question:{unrelated.pk}" not in found("boards LSCB")


def test_an_acronym_the_page_defines_finds_its_other_uses(db: None) -> None:
    document = DocumentFactory(
        title="Panel terms",
        body="The Widget Assessment Panel (WAP) meets monthly. Appeals go to the WAP first.",
        published_on=dt.date(2009, 1, 5),
    )
    other = DocumentFactory(
        title="Other panel", body="Appeals go to the chair.", published_on=dt.date(2009, 1, 6)
    )
    search_index_rebuild()
    assert found('"appeals go to the Widget Assessment Panel"') == {f"document:{document.pk}"}
    assert found('"appeals go to the"') == {f"document:{document.pk}", f"document:{other.pk}"}


def test_ambiguous_acronyms_are_not_expanded(db: None) -> None:
    question = WrittenQuestionFactory(heading="Schools", text="To ask whether the LA consulted.")
    WrittenQuestionFactory(heading="Councils", text="To ask which local authority consulted.")
    search_index_rebuild()
    assert found("LA") == {f"question:{question.pk}"}


def test_section_text_and_headings_are_found(db: None) -> None:
    consultation = ConsultationFactory(
        opens_at=timezone.now() - dt.timedelta(days=3),
    )
    SectionFactory(consultation=consultation, heading="Kittiwake colonies", body="Cliff *nests*.")
    search_index_rebuild()
    assert found('"kittiwake colonies" nests') == {f"consultation:{consultation.pk}"}
