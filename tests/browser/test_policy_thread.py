"""The seed story in a real browser: from the December 2007 written answer, through the
documents it names and their policy thread, to the 2008 consultation and the 2009 final
guidance, with links back from each to Parliament."""

from __future__ import annotations

import pytest

from moot.demo import load_demo
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_the_seed_question_to_the_consultation_and_the_final_guidance(page) -> None:  # type: ignore[no-untyped-def]
    load_demo()
    page.goto("/written-questions/2007-12-03/children-sexual-offences/")
    answer = page.get_by_test_id("answer")
    linked = answer.locator("a.moot-mention").all_inner_texts()
    assert linked == [
        "Working Together to Safeguard Children",
        "Working Together",
        "Safeguarding Children involved in prostitution",
    ]
    mentions = page.get_by_test_id("mentions")
    assert "This answer mentions" in mentions.inner_text()
    assert mentions.get_by_test_id("mentioned").count() == 2
    screenshot(page, "policy-seed-question")

    # The words in the answer lead to the 2000 guidance, whose page leads back.
    answer.get_by_role("link", name="Safeguarding Children involved in prostitution").click()
    page.wait_for_url("**/documents/children-involved-in-prostitution-2000/")
    in_parliament = page.get_by_test_id("in-parliament")
    assert "Children: Sexual Offences" in in_parliament.inner_text()
    assert "“Safeguarding Children involved in prostitution”" in in_parliament.inner_text()

    # Its policy thread tells the story, newest first.
    in_parliament.get_by_test_id("thread-link").click()
    page.wait_for_url("**/policy/documents/children-involved-in-prostitution-2000/")
    kinds = page.locator("[data-testid=event] strong").all_inner_texts()
    assert kinds[:4] == [
        "Guidance withdrawn",
        "Final guidance published",
        "Outcome published",
        "Summary of responses published",
    ]
    assert kinds[-1].startswith("Guidance published")
    for step in ["Consultation closed", "Draft guidance published", "Consultation opened",
                 "Written answer"]:  # fmt: skip
        assert step in kinds
    assert kinds.index("Written answer") > kinds.index("Consultation opened")
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Children: Sexual Offences" in timeline
    assert "Summary of responses: Safeguarding children and young people" in timeline
    assert "Alert me about this policy" in page.get_by_test_id("policy-alert").inner_text()
    screenshot(page, "policy-thread")
    assert axe_violations(page) == []

    # On to the 2008 consultation, and from it to the 2009 final guidance.
    page.locator("[data-kind=consultation-opened]").get_by_role("link").click()
    page.wait_for_url("**/consultations/safeguarding-children-from-sexual-exploitation/")
    assert page.get_by_test_id("in-parliament").is_visible()
    page.get_by_role(
        "link", name="Safeguarding Children and Young People from Sexual Exploitation", exact=True
    ).first.click()
    page.wait_for_url("**/documents/sexual-exploitation-guidance-2009/")
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Safeguarding Children and Young People from Sexual Exploitation")
    )
    page.get_by_test_id("thread-link").click()
    page.wait_for_url("**/policy/documents/sexual-exploitation-guidance-2009/")
    thread = page.get_by_test_id("timeline")
    thread.get_by_role("link", name="Children: Sexual Offences").click()
    page.wait_for_url("**/written-questions/2007-12-03/children-sexual-offences/")
