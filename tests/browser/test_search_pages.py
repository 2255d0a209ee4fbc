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
