"""A reader searching, narrowing and paging, in a real browser, with no accessibility
violations on the search and help pages."""

from __future__ import annotations

import pytest

from moot.demo import load_demo
from moot.search.services import search_index_rebuild
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_searching_narrowing_and_correcting_a_query(page) -> None:  # type: ignore[no-untyped-def]
    load_demo()
    search_index_rebuild()
    page.goto("/")
    page.get_by_label("Search consultations, documents and written answers").fill(
        '"sexual exploitation"'
    )
    page.get_by_role("button", name="Search").click()
    count = page.get_by_test_id("result-count").inner_text()
    assert "results for" in count
    first = page.locator("li.moot-search-result").first
    assert first.locator("mark").count() >= 1
    screenshot(page, "search-results")
    assert axe_violations(page) == []

    page.get_by_test_id("facets").get_by_role("link", name="Written questions").click()
    assert (
        "type:question"
        in page.get_by_label("Search consultations, documents and written answers").input_value()
    )
    kinds = page.locator("li.moot-search-result .moot-meta__item:first-child").all_inner_texts()
    assert kinds
    assert set(kinds) == {"Written question"}

    page.get_by_role("link", name="newest first").click()
    assert "newest first" in page.get_by_test_id("sort").inner_text()

    box = page.get_by_label("Search consultations, documents and written answers")
    box.fill('children "unclosed')
    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    assert "is not closed" in summary.inner_text()
    assert page.title().startswith("Error: ")
    screenshot(page, "search-error")
    assert axe_violations(page) == []


def test_the_help_page(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/search/help/")
    assert page.get_by_role("heading", level=1).inner_text() == "How to search"
    assert axe_violations(page) == []


def test_operators_acronyms_and_addresses_in_a_real_browser(page) -> None:  # type: ignore[no-untyped-def]
    load_demo()
    search_index_rebuild()
    page.goto("/search/")
    box = page.get_by_label("Search consultations, documents and written answers")

    box.fill("safeguarding NOT type:question")
    page.get_by_role("button", name="Search").click()
    kinds = page.locator("li.moot-search-result .moot-meta__item:first-child").all_inner_texts()
    assert kinds
    assert "Written question" not in kinds

    box = page.get_by_label("Search consultations, documents and written answers")
    box.fill("DL39BG")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_test_id("result-count").inner_text().startswith("1 result for")
    assert "Safeguarding children and young people from sexual exploitation" in (
        page.locator("li.moot-search-result").first.inner_text()
    )

    box = page.get_by_label("Search consultations, documents and written answers")
    box.fill("LSCB type:consultation")
    page.get_by_role("button", name="Search").click()
    marked = page.locator("li.moot-search-result mark").all_inner_texts()
    assert "Local" in marked

    box = page.get_by_label("Search consultations, documents and written answers")
    box.fill("NOT trafficking")
    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    assert "A search can't be only NOT words" in summary.inner_text()
    assert page.locator("li.moot-search-result").count() == 0
    assert axe_violations(page) == []


def test_the_help_page_lists_acronyms_behind_a_details_summary(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/search/help/")
    acronyms = page.get_by_test_id("acronyms")
    assert not acronyms.is_visible()
    page.get_by_text("acronyms search knows").click()
    assert acronyms.is_visible()
    assert "Local Safeguarding Children Board" in acronyms.inner_text()
    assert axe_violations(page) == []
