"""The alert pages in a real browser: the journey from a question page, and accessibility."""

from __future__ import annotations

import pytest

from moot.alerts.models import Alert
from tests.alerts.conftest import link_to, unsubscribe_path
from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import ReceivedMail
from tests.factories import WrittenQuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _links_to_a_known_site(settings: pytest.FixtureRequest) -> None:
    settings.SITE_URL = "https://moot.example"  # type: ignore[attr-defined]


def test_alert_me_from_a_question_page(page, smtp_server: ReceivedMail) -> None:  # type: ignore[no-untyped-def]
    question = WrittenQuestionFactory(heading="Children: Sexual Exploitation")
    page.goto(question.get_absolute_url())
    page.get_by_role("link", name="Alert me about debates like this").click()
    query = page.get_by_label("Search to be alerted about")
    assert query.input_value() == 'Children "Sexual Exploitation"'
    assert axe_violations(page) == []
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_label("Once a day").check()
    page.get_by_role("button", name="Send me a confirmation email").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"

    (message,) = smtp_server.messages
    page.goto(link_to(message, "/alerts/confirm/"))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm").click()
    assert "Your alert is set up" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="Manage your alerts").click()
    assert axe_violations(page) == []
    screenshot(page, "alerts-manage")
    page.get_by_role("button", name="Pause").click()
    assert "Paused" in page.locator(".govuk-notification-banner").inner_text()
    assert Alert.objects.get().is_paused

    page.goto(unsubscribe_path(message))
    assert axe_violations(page) == []
    # The confirmation email's link, used after confirming, stops the alert it set up.
    assert page.get_by_role("heading", level=1).inner_text() == "Stop this alert?"
    page.get_by_role("button", name="Unsubscribe").click()
    assert "You're unsubscribed" in page.get_by_role("heading", level=1).inner_text()
    assert not Alert.objects.exists()


def test_form_errors_are_summarised_accessibly(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/alerts/?q=tax")
    page.get_by_label("Search to be alerted about").fill('"unclosed')
    page.get_by_role("button", name="Send me a confirmation email").click()
    summary = page.locator(".govuk-error-summary")
    assert "is not closed" in summary.inner_text()
    assert "Enter your email address" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []
