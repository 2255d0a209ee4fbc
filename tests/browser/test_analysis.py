"""The analysis journey in a real browser, as the issue's "Done when" says: open a closed
consultation with generated responses, run the analysis, see campaigns and themes, merge two
themes and code a few responses, run it again, publish the summary and download its PDF —
checking the main staff pages for accessibility on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from moot.analysis.models import AnalystChange, ChangeKind
from moot.consultations.models import Consultation, ConsultationStatus
from moot.core import two_factor
from moot.demo.analysis import final_document_attach, generated_consultation_create
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long analyst password"


@pytest.fixture
def consultation(settings: pytest.FixtureRequest) -> Consultation:
    # The live server runs tasks as they are queued: no separate worker process.
    settings.TASKS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    department = DepartmentFactory(name="Department for Education")
    consultation = generated_consultation_create(
        department=department,
        slug="replacing-boards",
        title="Replacing safeguarding boards",
        responses=300,
        seed=5,
    )
    final_document_attach(consultation)
    return consultation


def _sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/staff/consultations/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    page.get_by_role("textbox", name="Code").fill(
        two_factor.code_at(secret=secret, step=two_factor.current_step())
    )
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="I have saved my codes").click()


def _accessible(page, name: str) -> None:  # type: ignore[no-untyped-def]
    screenshot(page, f"analysis-{name}")
    assert axe_violations(page) == [], name


def test_analyse_merge_code_rerun_publish_and_download(page, consultation: Consultation) -> None:  # type: ignore[no-untyped-def]
    analyst = UserFactory(department=consultation.department)
    analyst.set_password(PASSWORD)
    analyst.save()
    _sign_in(page, analyst.username)
    page.get_by_role("link", name=consultation.title).click()
    page.get_by_role("link", name="Analyse the responses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Analysis of the responses")
    _accessible(page, "before-run")

    page.get_by_role("button", name="Run the analysis").click()
    expect(page.get_by_test_id("run-status")).to_have_text("Finished")
    _accessible(page, "run")
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_test_id("campaign-share")).to_contain_text("belong to")
    _accessible(page, "overview")

    page.get_by_role("navigation", name="Analysis").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Campaign 1", exact=True).click()
    expect(page.get_by_test_id("template-text").first).not_to_be_empty()
    _accessible(page, "campaign")

    page.get_by_role("navigation", name="Analysis").get_by_role("link", name="Overview").click()
    page.get_by_role("link", name=re.compile(r"^2\. ")).click()
    themes = page.get_by_test_id("themes").locator("tbody th a").all_inner_texts()
    assert len(themes) >= 3
    _accessible(page, "question")

    page.get_by_role("link", name="Merge themes").click()
    page.get_by_label(themes[1], exact=True).check()
    page.get_by_label(themes[2], exact=True).check()
    page.get_by_label("Name of the merged theme").fill("Accountability and scrutiny")
    _accessible(page, "merge")
    page.get_by_role("button", name="Merge the themes").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("merged")

    question_url = page.url
    for coded in range(3):
        # The engine's suggestions: coded ones leave the list.
        page.get_by_test_id("to-code").get_by_role("link").first.click()
        save = page.get_by_role("button", name="Save the coding of question 2")
        form = page.locator("form", has=save)
        form.get_by_label(themes[0], exact=True).check()
        form.get_by_label("Agrees", exact=True).check()
        save.click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("saved")
        if coded == 0:
            _accessible(page, "response")
        page.goto(question_url)
    _accessible(page, "question-after-changes")
    coded = AnalystChange.objects.filter(kind=ChangeKind.CODE_THEMES)
    assert coded.values("response").distinct().count() == 3

    page.get_by_role("navigation", name="Analysis").get_by_role("link", name="Overview").click()
    expect(page.get_by_test_id("pending-changes")).to_contain_text("since this run")
    page.get_by_role("button", name="Run the analysis again").click()
    expect(page.get_by_test_id("run-status")).to_have_text("Finished")
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_test_id("pending-changes")).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^2\. ")).click()
    merged = page.get_by_test_id("themes").locator("tbody th a").all_inner_texts()
    assert "Accountability and scrutiny" in merged
    assert len(merged) == len(themes) - 1

    page.get_by_role("navigation", name="Analysis").get_by_role(
        "link", name="Summary of responses"
    ).click()
    _accessible(page, "publish")
    page.get_by_role("button", name="Publish summary of responses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary of responses")
    expect(page.get_by_test_id("summary-body")).to_contain_text("Accountability and scrutiny")
    _accessible(page, "public-summary")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OUTCOME_PUBLISHED

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Summary of responses (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "replacing-boards-summary-of-responses.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
