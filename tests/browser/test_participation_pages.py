"""The pages of questions that branch and of responses published with care, on the demo, in
a real browser: no serious accessibility problem (axe-core), no sideways scrolling at 320 px,
and the branching form followed without JavaScript getting in the way."""

from __future__ import annotations

import pytest
from django.utils import timezone

from moot.consultations.models import Consultation, ResponsePublication
from moot.demo import load_demo
from moot.demo.analysis import SLUG as ANALYSED
from tests.browser.conftest import axe_violations
from tests.browser.test_accessibility import signed_in_context
from tests.browser.test_narrow_screens import OVERFLOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BRANCHING = "information-sharing-between-agencies"


def test_routing_and_moderation_pages_have_no_serious_accessibility_problems(
    chromium_browser, live_server, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_ANALYSIS_RESPONSES = 60
    load_demo()
    analysed = Consultation.objects.get(slug=ANALYSED)
    published = ResponsePublication.objects.filter(response__consultation=analysed).first()
    assert published is not None, "the demo publishes a moderated set of responses"
    Consultation.objects.filter(pk=analysed.pk).update(outcome_published_at=timezone.now())
    staff = UserFactory(department=analysed.department)
    context = signed_in_context(chromium_browser, live_server, staff)
    page = context.new_page()
    problems = {}
    urls = [
        f"/staff/consultations/{BRANCHING}/routing/",
        f"/staff/consultations/{BRANCHING}/routing/q3/",
        f"/staff/consultations/{ANALYSED}/moderation/",
        f"/staff/consultations/{ANALYSED}/moderation/{published.response_id}/",
        f"/consultations/{ANALYSED}/published-responses/",
    ]
    try:
        for url in urls:
            page.goto(url)
            assert page.url.endswith(url), f"{url} redirected to {page.url}"
            found = axe_violations(page)
            if found:
                problems[url] = [(v["id"], v["impact"]) for v in found]
        page.set_viewport_size({"width": 320, "height": 800})
        too_wide = {}
        for url in urls:
            page.goto(url)
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                too_wide[url] = overflow
    finally:
        context.close()
    assert problems == {}
    assert too_wide == {}


def test_the_branching_form_skips_what_does_not_apply_in_the_browser(page) -> None:  # type: ignore[no-untyped-def]
    load_demo()
    page.goto(f"/consultations/{BRANCHING}/respond/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()  # your details
    page.get_by_label("As an individual").check()
    page.get_by_role("button", name="Continue").click()
    while "question-q1" not in page.url:
        page.get_by_role("button", name="Continue").click()  # role and region: optional
    page.get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Rarely or never").check()
    page.get_by_role("button", name="Continue").click()
    # "Which agencies do you share information with?" does not apply: straight to q4.
    assert page.url.endswith("/respond/question-q4/")
    page.go_back()
    page.get_by_label("Every week").check()
    page.get_by_role("button", name="Continue").click()
    assert page.url.endswith("/respond/question-q3/")
