"""Who is my MP, in a real browser with JavaScript off: the home page's postcode box answers
from the demo's postcode directory, and the postcode never appears in an address. (The page's
accessibility is checked with the others in test_accessibility.py: axe needs JavaScript.)"""

from __future__ import annotations

import pytest

from moot.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_home_pages_postcode_box_finds_the_seat_and_its_members(  # type: ignore[no-untyped-def]
    chromium_browser, live_server
) -> None:
    load_demo()
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))
    page.goto("/")
    page.get_by_label("Who is my MP?").fill("zz11aa")
    page.get_by_role("button", name="Find my MP").click()
    main = page.locator("main").inner_text()
    assert "ZZ1 1AA is in" in main
    assert "Warrington South" in main
    assert "Helen Southworth (Labour), 1 May 1997 to 12 April 2010" in main
    assert not [url for url in visited if "zz1" in url.lower()]
    # A day in the past gives the member on that day.
    page.get_by_text("On another day").click()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2007")
    page.get_by_role("button", name="Find my MP").click()
    assert "Helen Southworth" in page.locator("main").inner_text()
    context.close()
