"""Every public page and the main staff pages, checked with axe-core in Chromium, and the two
journeys people must be able to make with a keyboard alone: responding to a consultation and
setting up an alert."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from moot.consultations.models import Consultation, Document, Response
from moot.core.models import Department
from moot.demo import load_demo
from moot.parliament.models import Person, WrittenQuestion
from tests.alerts.conftest import link_to
from tests.browser.conftest import axe_violations
from tests.conftest import ReceivedMail
from tests.consultations.conftest import build_questionnaire
from tests.factories import ConsultationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def public_pages() -> list[str]:
    question = WrittenQuestion.objects.get(identifier="children-sexual-offences")
    grouped = WrittenQuestion.objects.get(identifier="sexual-exploitation-guidance-scope")
    pages = [
        "/",
        "/consultations/",
        "/consultations/?status=open",
        "/written-questions/",
        f"/written-questions/{question.date.isoformat()}/",
        question.get_absolute_url(),
        grouped.get_absolute_url(),
        "/written-questions/answer-quality/",
        "/written-questions/timeliness/",
        "/written-questions/timeliness/?year=2007",
        "/members/find/",
        "/search/",
        "/search/?q=children",
        "/search/?q=children+type:question&sort=newest",
        "/search/help/",
        "/alerts/?q=children",
        "/about/",
        "/accessibility/",
        "/privacy/",
        "/no-such-page/",
    ]
    pages += [c.get_absolute_url() for c in Consultation.objects.exclude(published_at=None)]
    pages += [d.get_absolute_url() for d in Document.objects.all()]
    pages += [p.get_absolute_url() for p in Person.objects.all()[:3]]
    pages += [d.get_absolute_url() for d in Department.objects.all()[:3]]
    open_consultation = Consultation.objects.get(slug="information-sharing-between-agencies")
    pages.append(f"{open_consultation.get_absolute_url()}respond/")
    pages += [  # the seed's policy threads, and asking for an alert about one
        "/policy/consultations/safeguarding-children-from-sexual-exploitation/",
        "/policy/documents/working-together-to-safeguard-children-2006/",
        "/alerts/?policy=document:sexual-exploitation-guidance-2009",
    ]
    return pages


def test_public_pages_have_no_serious_accessibility_problems(page) -> None:  # type: ignore[no-untyped-def]
    from moot.search.services import search_index_rebuild

    load_demo()
    search_index_rebuild()
    problems = {}
    for url in public_pages():
        page.goto(url)
        found = axe_violations(page)
        if found:
            problems[url] = [(v["id"], v["impact"], len(v["nodes"])) for v in found]
    assert problems == {}


def signed_in_context(browser, live_server, user) -> object:  # type: ignore[no-untyped-def]
    """A browser context carrying a signed-in staff session (signing in is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_main_staff_pages_have_no_serious_accessibility_problems(
    chromium_browser, live_server
) -> None:  # type: ignore[no-untyped-def]
    load_demo()
    response = Response.objects.exclude(status="draft").select_related("consultation").first()
    assert response is not None
    consultation = response.consultation
    context = signed_in_context(
        chromium_browser, live_server, UserFactory(department=consultation.department)
    )
    page = context.new_page()
    base = f"/staff/consultations/{consultation.slug}/"
    problems = {}
    try:
        for url in [
            "/staff/consultations/",
            base,
            f"{base}responses/",
            f"{base}responses/{response.pk}/",
            f"{base}responses/publishable/",
            f"{base}postal-response/",
            f"{base}summary/",
            f"{base}outcome/",
        ]:
            page.goto(url)
            assert page.url.endswith(url), f"{url} redirected to {page.url}"
            found = axe_violations(page)
            if found:
                problems[url] = [(v["id"], v["impact"]) for v in found]
    finally:
        context.close()
    assert problems == {}


def tab_to(page, *, role: str, name: str, limit: int = 80) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the control a person is looking for has the focus."""
    target = page.get_by_role(role, name=name, exact=True).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"could not reach the {role} {name!r} with the Tab key")


def activate(page) -> None:  # type: ignore[no-untyped-def]
    """Press Enter on the focused link or button, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose_radio(page, label: str) -> None:  # type: ignore[no-untyped-def]
    """Reach a radio group with Tab, then move to the wanted option with the arrow keys."""
    target = page.get_by_role("radio", name=label, exact=True)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.type") == "radio":
            break
    for _ in range(20):
        if target.evaluate("element => element === document.activeElement"):
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not reach the option {label!r} with the keyboard")


def test_respond_to_a_consultation_with_the_keyboard_alone(page, settings) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    settings.RESPONSE_PROOF_OF_WORK = "off"
    consultation = ConsultationFactory(slug="keyboard-consultation")
    build_questionnaire(consultation)
    page.goto(consultation.get_absolute_url())
    tab_to(page, role="link", name="Respond online")
    activate(page)
    tab_to(page, role="button", name="Start now")
    activate(page)
    # About you: a name, then who they respond as.
    tab_to(page, role="textbox", name="Full name (optional)")
    page.keyboard.type("Kim Keyboard")
    tab_to(page, role="button", name="Continue")
    activate(page)
    choose_radio(page, "As an individual")
    tab_to(page, role="button", name="Continue")
    activate(page)
    # Every other page: take the first choice offered, type into text boxes, continue.
    for _ in range(15):
        if "Check your answers" in page.get_by_role("heading", level=1).inner_text():
            break
        radios = page.get_by_role("radio")
        checkboxes = page.get_by_role("checkbox")
        textboxes = page.locator("textarea, input[type=text]")
        if radios.count():
            # The last choice: it never asks for more (as "Yes, keep it confidential" does).
            choose_radio(page, _label_of(page, radios.last))
        elif checkboxes.count():
            name = _label_of(page, checkboxes.first)
            tab_to(page, role="checkbox", name=name)
            page.keyboard.press("Space")
        elif textboxes.count():
            page.keyboard.press("Tab")
            page.keyboard.type("Typed with the keyboard.")
        tab_to(page, role="button", name="Continue")
        activate(page)
    assert "Check your answers" in page.get_by_role("heading", level=1).inner_text()
    tab_to(page, role="button", name="Send response")
    activate(page)
    page.wait_for_url(re.compile(r".*/respond/confirmation/$"))
    assert Response.objects.get(consultation=consultation).respondent_name == "Kim Keyboard"


def _label_of(page, control) -> str:  # type: ignore[no-untyped-def]
    control_id = control.get_attribute("id")
    return str(page.locator(f"label[for='{control_id}']").inner_text()).strip()


def test_set_up_an_alert_with_the_keyboard_alone(page, smtp_server: ReceivedMail, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://moot.example"
    load_demo()
    question = WrittenQuestion.objects.get(identifier="children-sexual-offences")
    page.goto(question.get_absolute_url())
    tab_to(page, role="link", name="Alert me about debates like this")
    activate(page)
    tab_to(page, role="textbox", name="Email address")
    page.keyboard.type("keyboard@example.org")
    tab_to(page, role="button", name="Send me a confirmation email")
    activate(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    (message,) = smtp_server.messages
    page.goto(link_to(message, "/alerts/confirm/"))
    tab_to(page, role="button", name="Confirm")
    activate(page)
    assert "Your alert is set up" in page.get_by_role("heading", level=1).inner_text()
