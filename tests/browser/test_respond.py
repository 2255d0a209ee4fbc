"""Responding online in a real browser: with JavaScript (solving the proof of work) and
without it, checked for accessibility on the way."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from moot.consultations.models import Response, ResponseStatus
from tests.browser.conftest import axe_violations, screenshot
from tests.consultations.conftest import build_questionnaire
from tests.factories import ConsultationFactory
from tests.samples import make_docx

pytestmark = pytest.mark.django_db(transaction=True)


def _respond(page, *, check_accessibility: bool) -> str:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Full name (optional)").fill("Jane Smith")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()  # nothing chosen: an error
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    if check_accessibility:
        assert axe_violations(page) == []
    page.get_by_label("On behalf of an organisation").check()
    page.get_by_label("Name of the organisation").fill("Example LSCB")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Practitioner").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("North East").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Strongly agree").check()
    if check_accessibility:
        assert axe_violations(page) == []
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()  # q2 is optional
    page.get_by_label("Police").check()
    page.get_by_label("Schools").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Any other comments? (optional)").fill("More on online exploitation.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Upload a document").set_input_files(
        files=[
            {
                "name": "evidence.docx",
                "mimeType": "application/octet-stream",
                "buffer": make_docx("Our evidence"),
            }
        ]
    )
    page.get_by_role("button", name="Upload the document").click()
    assert "evidence.docx" in page.get_by_test_id("documents").inner_text()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Publish my response anonymously").check()
    page.get_by_role("button", name="Continue").click()
    assert "Check your answers" in page.get_by_role("heading", level=1).inner_text()
    answers = page.get_by_test_id("check-answers").inner_text()
    assert "Police; Schools" in answers
    assert "Example LSCB" in answers
    assert "evidence.docx" in answers
    if check_accessibility:
        assert axe_violations(page) == []
    page.get_by_role("button", name="Send response").click()
    page.wait_for_url(re.compile(r".*/respond/confirmation/$"))
    return str(page.get_by_test_id("reference").inner_text())


def test_respond_online_with_javascript(page, settings) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    settings.RESPONSE_PROOF_OF_WORK = "always"
    settings.RESPONSE_PROOF_OF_WORK_BITS = 10
    settings.RESPONSE_PROOF_OF_WORK_WAIT_SECONDS = 3600  # only the script's work will do
    consultation = ConsultationFactory(slug="open-consultation")
    build_questionnaire(consultation)
    page.goto(f"/consultations/{consultation.slug}/")
    page.get_by_role("link", name="Respond online").first.click()
    reference = _respond(page, check_accessibility=True)
    screenshot(page, "respond-confirmation")
    assert axe_violations(page) == []
    response = Response.objects.get()
    assert response.reference == reference
    assert response.status == ResponseStatus.SUBMITTED


def test_respond_online_without_javascript(chromium_browser, live_server, settings) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    settings.RESPONSE_PROOF_OF_WORK = "off"
    consultation = ConsultationFactory(slug="open-consultation")
    build_questionnaire(consultation)
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"/consultations/{consultation.slug}/respond/")
        reference = _respond(page, check_accessibility=False)
    finally:
        context.close()
    assert Response.objects.get().reference == reference


def test_staff_sign_in_and_read_responses(page) -> None:  # type: ignore[no-untyped-def]
    from moot.demo import load_demo
    from tests.factories import UserFactory

    load_demo()
    consultation = Response.objects.filter(channel="email").get().consultation
    staff = UserFactory(department=consultation.department)
    staff.set_password("a long staff password")
    staff.save()
    page.goto("/staff/consultations/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill("a long staff password")
    page.get_by_role("button", name="Sign in").click()
    # First sign-in: set up the authenticator from the key on the page, then enter a code.
    from moot.core import two_factor

    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    assert axe_violations(page) == []
    page.get_by_role("textbox", name="Code").fill(
        two_factor.code_at(secret=secret, step=two_factor.current_step())
    )
    page.get_by_role("button", name="Continue").click()
    assert len(page.get_by_test_id("recovery-codes").locator("li").all()) == 10
    page.get_by_role("link", name="I have saved my codes").click()
    page.get_by_role("link", name=consultation.title).click()
    page.get_by_role("link", name="All responses").click()
    assert page.get_by_test_id("result-count").inner_text() == "6 responses"
    assert axe_violations(page) == []
    page.get_by_label("Channel").select_option("email")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_test_id("result-count").inner_text() == "1 response"
    page.get_by_role("link", name=re.compile("MOOT-")).click()
    assert "harbour-youth-trust-response.docx" in page.get_by_test_id("files").inner_text()
    screenshot(page, "staff-response")
    assert axe_violations(page) == []
