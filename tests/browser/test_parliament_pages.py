"""The written-answer pages in a real browser: votes with and without JavaScript, tables on a
phone, and accessibility."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from moot.parliament.models import WrittenQuestion
from moot.parliament.services.members import members_import
from moot.parliament.services.parlparse import parlparse_import
from tests.browser.conftest import axe_violations, screenshot
from tests.parliament.conftest import FIXTURES, SHARED_DATA

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def imported() -> None:
    members_import(paths=[FIXTURES / "people.json", FIXTURES / "ministers.json"])
    parlparse_import(paths=[FIXTURES / "v1", FIXTURES / "lordswrans2009-11-03a.xml"])


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "parlparse").is_dir():
        pytest.skip(f"the shared real data is not at {SHARED_DATA} (see ../shared/data/README.md)")
    return SHARED_DATA


@pytest.fixture
def no_script_page(chromium_browser: object, live_server: object) -> Iterator[object]:
    context = chromium_browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url,  # type: ignore[attr-defined]
        java_script_enabled=False,
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(chromium_browser: object, live_server: object) -> Iterator[object]:
    context = chromium_browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url,  # type: ignore[attr-defined]
        viewport={"width": 375, "height": 740},
    )
    yield context.new_page()
    context.close()


def test_voting_updates_in_place_with_javascript(page, imported: None) -> None:  # type: ignore[no-untyped-def]
    grouped = WrittenQuestion.objects.get(uin="100003")
    page.goto(grouped.get_absolute_url())
    assert page.get_by_test_id("question").count() == 2
    page.evaluate("window.notReloaded = true")
    vote = page.get_by_test_id("answer-vote")
    vote.get_by_role("button", name="Yes").click()
    # Waits with locators: a string for wait_for_function would need eval, which the
    # Content-Security-Policy forbids.
    expect(page.locator("[data-vote-count=yes]")).to_have_text("1 person thinks so")
    assert page.evaluate("window.notReloaded") is True
    assert vote.get_by_role("button", name="Yes").get_attribute("aria-pressed") == "true"
    assert "You can change your mind" in vote.inner_text()
    vote.get_by_role("button", name="No").click()
    expect(page.locator("[data-vote-count=no]")).to_have_text("1 person thinks not")
    assert vote.locator("[data-vote-count=yes]").inner_text() == "0 people think so"
    assert vote.get_by_role("button", name="Yes").get_attribute("aria-pressed") == "false"
    screenshot(page, "parliament-question-voted")
    assert axe_violations(page) == []


def test_voting_works_without_javascript(no_script_page, imported: None) -> None:  # type: ignore[no-untyped-def]
    tab = no_script_page
    pensions = WrittenQuestion.objects.get(uin="100001")
    tab.goto(pensions.get_absolute_url())
    tab.get_by_role("button", name="No").click()
    tab.wait_for_load_state()
    assert "is counted" in tab.get_by_role("alert").inner_text()
    assert "1 person thinks not" in tab.get_by_test_id("answer-vote").inner_text()


def test_tables_scroll_inside_the_answer_on_a_phone(phone_page, imported: None) -> None:  # type: ignore[no-untyped-def]
    tab = phone_page
    grouped = WrittenQuestion.objects.get(uin="100002")
    tab.goto(grouped.get_absolute_url())
    wrapper = tab.locator(".moot-table-wrapper").first
    assert wrapper.get_attribute("tabindex") == "0"
    page_overflows = tab.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert page_overflows is False
    screenshot(tab, "parliament-question-phone")
    assert axe_violations(tab) == []


def test_day_department_and_quality_pages_are_accessible(page, imported: None) -> None:  # type: ignore[no-untyped-def]
    for url, name in (
        ("/written-questions/2009-11-02/", "parliament-day"),
        ("/departments/home-office/", "parliament-department"),
        ("/members/helen-goodman/", "parliament-member"),
        ("/written-questions/answer-quality/", "parliament-answer-quality"),
    ):
        page.goto(url)
        assert page.get_by_role("heading", level=1).count() == 1, url
        screenshot(page, name)
        assert axe_violations(page) == [], url


def test_the_real_records_in_the_browser(page, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    parlparse_import(paths=[shared_data / "parlparse" / "scrapedxml"])
    cold_weather = WrittenQuestion.objects.get(uin="295417")
    page.goto(cold_weather.get_absolute_url())
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Cold Weather Payments: Bedfordshire"
    )
    table = page.locator(".moot-answer-body table").first
    assert "Cold weather payment triggers at Bedford weather station" in table.inner_text()
    assert "Source: Hansard column 209W" in page.get_by_test_id("source").inner_text()
    screenshot(page, "parliament-real-question")
    assert axe_violations(page) == []
    page.goto("/written-questions/2009-10-27/")
    assert page.get_by_test_id("day-department").count() == 18
    assert axe_violations(page) == []
