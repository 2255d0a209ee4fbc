"""The timeliness table on the demo, in a real browser: it fits a 320 px phone without
scrolling of its own, and an overdue consultation says so and links to it."""

from __future__ import annotations

import pytest

from moot.demo import load_demo
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_timeliness_table_fits_a_phone(chromium_browser, live_server) -> None:  # type: ignore[no-untyped-def]
    load_demo()
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": 320, "height": 800}
    )
    page = context.new_page()
    page.goto("/consultations/police-vetting-of-volunteers/")
    notice = page.get_by_test_id("response-overdue")
    assert "Response overdue" in notice.inner_text()
    notice.get_by_role("link", name="How promptly departments respond").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Do departments answer on time?"
    page.get_by_role("link", name="2007", exact=True).click()
    table = page.get_by_test_id("timeliness")
    assert "Department for Children, Schools and Families" in table.inner_text()
    wrapper = page.locator(".moot-table-wrapper")
    fits = wrapper.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert fits is True
    page_overflows = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert page_overflows is False
    screenshot(page, "parliament-timeliness-phone")
    assert axe_violations(page) == []
    context.close()
