"""The API documentation, the key request form and the open-data page in Chromium: no serious
accessibility problems, nothing the Content-Security-Policy blocks, and a keyboard-only
request for a key."""

from __future__ import annotations

from typing import Any

import pytest

from moot.api.models import ApiKey
from moot.api.opendata.export import open_data_export
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import ConsultationFactory, WrittenQuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_pages_are_accessible_and_within_the_policy(page, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    ConsultationFactory()
    WrittenQuestionFactory()
    open_data_export()
    blocked: list[Any] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if message.type == "error" else None
    )
    problems = {}
    for url, name in [
        ("/api/", "api-docs"),
        ("/api-keys/", "api-key-request"),
        ("/api-keys/requested/", "api-key-requested"),
        ("/open-data/", "open-data"),
    ]:
        page.goto(url)
        screenshot(page, name)
        found = axe_violations(page)
        if found:
            problems[url] = [(v["id"], v["impact"], len(v["nodes"])) for v in found]
    assert problems == {}
    assert [text for text in blocked if "Content Security Policy" in text] == []


def test_ask_for_a_key_with_the_keyboard_alone(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/api-keys/")
    page.keyboard.press("Tab")  # the skip link
    page.get_by_label("Your name").focus()
    page.keyboard.type("Ada Lovelace")
    page.keyboard.press("Tab")
    page.keyboard.type("not an address")
    page.keyboard.press("Tab")
    page.keyboard.type("Research into written answers")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "Enter an email address in the correct format" in summary.inner_text()
    page.get_by_label("Email address").fill("")
    page.get_by_label("Email address").focus()
    page.keyboard.type("ada@example.org")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/api-keys/requested/")
    assert page.get_by_role("heading", name="Request sent").is_visible()
    assert ApiKey.objects.get().email == "ada@example.org"
