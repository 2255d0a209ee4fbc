"""What a reader sees of the two seed pages, in a real browser."""

from __future__ import annotations

import pytest

from moot.demo import load_demo
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_consultation_page(page) -> None:  # type: ignore[no-untyped-def]
    load_demo()
    page.goto("/consultations/safeguarding-children-from-sexual-exploitation/")
    headings = page.locator("section.moot-consultation-section h2").all_inner_texts()
    assert headings == [
        "1. Executive summary",
        "2. Background and context",
        "3. The proposals",
        "4. How to respond",
        "5. Additional copies",
        "6. Plans for making results public",
    ]
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Safeguarding children and young people from sexual exploitation")
    )
    enquiries = page.get_by_test_id("enquiries").inner_text()
    assert "Children's Safeguards Policy Unit" in enquiries
    assert "01325 392105" in enquiries
    assert "seguidance.consultation@dcsf.gsi.gov.uk" in enquiries
    assert "This consultation has closed" in page.get_by_test_id("status").inner_text()
    assert "DL3 9BG" in page.get_by_test_id("postal-address").inner_text()
    attachment = page.get_by_test_id("attachment").first
    assert "MS Word Document" in attachment.inner_text()
    with page.expect_download() as download:
        attachment.get_by_role("link").click()
    assert download.value.suggested_filename.endswith(".docx")
    screenshot(page, "seed-000-consultation")
    assert axe_violations(page) == []


def test_seed_written_answer_page(page) -> None:  # type: ignore[no-untyped-def]
    load_demo()
    page.goto("/written-questions/2007-12-03/children-sexual-offences/")
    assert page.get_by_role("heading", level=1).inner_text() == "Children: Sexual Offences"
    assert "answered on 3rd December 2007" in page.get_by_test_id("dateline").inner_text()
    question = page.get_by_test_id("question")
    assert question.get_by_test_id("speaker-name").inner_text() == "Helen Southworth"
    assert question.get_by_test_id("speaker-membership").inner_text() == "Labour, Warrington South"
    answer = page.get_by_test_id("answer")
    assert answer.get_by_test_id("speaker-name").inner_text() == "Kevin Brennan"
    assert answer.get_by_test_id("speaker-post").inner_text() == (
        "Parliamentary Under-Secretary (Department for Children, Schools and Families) "
        "(Children, Young People and Families)"
    )
    assert "tackle child sexual exploitation" in answer.inner_text()
    screenshot(page, "seed-003-written-answer")
    assert axe_violations(page) == []
