"""The analysis staff pages through the client: who may see them, running, the questions,
theme edits and coding with their bad inputs, campaigns, history, publishing and the
downloads, the audit log, and a fixed number of queries on list pages."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from moot.analysis.models import (
    AnalysisRun,
    AnalystChange,
    CampaignMembership,
    CampaignName,
    ChangeKind,
    RunStatus,
    ThemeAssignmentRow,
)
from moot.analysis.services.runs import analysis_run_start
from moot.analysis.services.summary import analysis_summary_generate
from moot.consultations.models import Answer, Channel, Consultation, Response
from moot.consultations.services.responses import (
    AnswerValue,
    RespondentDetails,
    response_record,
)
from moot.core.models import AuditAction, AuditEvent, User
from moot.core.permissions import EDITORS
from tests.analysis.conftest import closed_refs, free_refs, themes_of
from tests.factories import DepartmentFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def base(consultation: Consultation) -> str:
    return f"/staff/consultations/{consultation.slug}/analysis/"


def page_urls(consultation: Consultation, run: AnalysisRun) -> list[str]:
    b = base(consultation)
    free = free_refs(run)[0]
    theme = themes_of(run, free)[0]["id"]
    campaign = run.summary["campaigns"]["campaigns"][0]["id"]
    response = Response.objects.filter(consultation=consultation).first()
    assert response is not None
    return [
        b,
        f"{b}runs/",
        f"{b}runs/{run.number}/",
        f"{b}runs/{run.number}/result.json.gz",
        f"{b}questions/{closed_refs(run)[0]}/",
        f"{b}questions/{free}/",
        f"{b}questions/{free}/review/",
        f"{b}questions/{free}/merge/",
        f"{b}questions/{free}/add-theme/",
        f"{b}questions/{free}/themes/{theme}/",
        f"{b}questions/{free}/themes/{theme}/rename/",
        f"{b}questions/{free}/themes/{theme}/split/",
        f"{b}questions/{free}/themes/{theme}/delete/",
        f"{b}campaigns/",
        f"{b}campaigns/{campaign}/",
        f"{b}responses/{response.pk}/",
        f"{b}changes/",
        f"{b}summary/",
    ]


def test_every_page_works_for_analysts(
    analyst_client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    for url in page_urls(consultation, run):
        response = analyst_client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            page = response.content.decode()
            assert " style=" not in page, url
            assert "<script>" not in page, url


def test_pages_are_refused_to_everyone_else(
    client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    urls = page_urls(consultation, run)
    for url in urls:
        assert client.get(url).status_code == 302, url
    client.force_login(UserFactory(department=DepartmentFactory()))
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(f"{base(consultation)}run/").status_code == 403
    # Editors manage content but do not analyse responses.
    client.force_login(UserFactory(department=consultation.department, roles=(EDITORS,)))
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert AnalysisRun.objects.count() == 1


def test_before_any_run_the_overview_offers_one_and_other_pages_send_you_there(
    analyst_client: Client, consultation: Consultation, immediate_tasks: None
) -> None:
    overview = text_of(analyst_client.get(base(consultation)).content.decode())
    assert "have not been analysed yet" in overview
    sent = analyst_client.get(f"{base(consultation)}campaigns/", follow=True)
    assert sent.redirect_chain[-1][0] == base(consultation)
    assert "Run the analysis first" in text_of(sent.content.decode())
    started = analyst_client.post(f"{base(consultation)}run/")
    assert started.status_code == 302
    assert started["Location"] == f"{base(consultation)}runs/1/"
    page = text_of(analyst_client.get(started["Location"]).content.decode())
    assert "Finished" in page
    overview = text_of(analyst_client.get(base(consultation)).content.decode())
    assert "Run the analysis again" in overview
    assert re.search(r"\d+ of 150 responses \([\d.]+%\) belong to \d+ campaigns", overview)


def test_a_run_in_progress_reloads_itself_and_can_be_stopped(
    analyst_client: Client, consultation: Consultation, analyst: User, queued_tasks: None
) -> None:
    run = analysis_run_start(consultation=consultation, by=analyst)
    page = analyst_client.get(run.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Waiting for a worker" in page
    assert "moot worker" in text_of(page)
    again = analyst_client.post(f"{base(consultation)}run/", follow=True)
    assert "already running" in text_of(again.content.decode())
    analyst_client.post(f"{base(consultation)}runs/1/stop/")
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    page = analyst_client.get(run.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert f"Cancelled by {analyst.username}." in text_of(page)
    overview = text_of(analyst_client.get(base(consultation)).content.decode())
    assert "Run 1 failed" in overview


def test_a_closed_question_has_a_chart_with_its_table_beside_it(
    analyst_client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    ref = next(q["ref"] for q in run.summary["questions"] if q["kind"] == "agreement_scale")
    page = analyst_client.get(f"{base(consultation)}questions/{ref}/?by=channel").content.decode()
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg" class="moot-chart"')
    svg = page[start : page.index("</svg>", start)]
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    assert 'fill="url(#chart-' in svg  # a pattern, not colour alone, tells the series apart
    assert "All submissions" in svg
    assert "Excluding campaigns" in svg
    text = text_of(page)
    assert "Strongly agree" in text
    assert "Answers by channel" in text
    tally = run.summary["closed_questions"][ref]["all_submissions"]
    assert f"{tally['counts']['Agree']} ({tally['percentages']['Agree']}%)" in text


def test_a_free_text_question_shows_themes_counts_quotes_and_what_to_code(
    analyst_client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    ref = free_refs(run)[0]
    page = text_of(analyst_client.get(f"{base(consultation)}questions/{ref}/").content.decode())
    theme = themes_of(run, ref)[0]
    assert str(theme["label"]) in page
    assert "All submissions Excluding campaigns Distinct texts" in page
    assert "Responses to code next" in page
    assert "Review queue" in page
    event = AuditEvent.objects.filter(action=AuditAction.VIEW_ANALYSIS).latest("at")
    assert event.record_ids
    assert event.detail["page"] == "question"


def test_theme_edits_through_the_pages(
    analyst_client: Client, consultation: Consultation, run: AnalysisRun, analyst: User
) -> None:
    ref = free_refs(run)[0]
    themes = [str(t["id"]) for t in themes_of(run, ref)]
    q = f"{base(consultation)}questions/{ref}/"
    empty = analyst_client.post(f"{q}themes/{themes[0]}/rename/", {"label": ""})
    assert empty.status_code == 400
    assert "Enter a name for the theme" in text_of(empty.content.decode())
    renamed = analyst_client.post(
        f"{q}themes/{themes[0]}/rename/", {"label": "Keep the boards", "description": ""}
    )
    assert renamed.status_code == 302
    one = analyst_client.post(f"{q}merge/", {"theme_ids": [themes[1]], "label": "M"})
    assert one.status_code == 400
    assert "Choose at least two themes to merge" in text_of(one.content.decode())
    assert (
        analyst_client.post(
            f"{q}merge/", {"theme_ids": themes[1:3], "label": "Merged theme"}
        ).status_code
        == 302
    )
    half = analyst_client.post(f"{q}themes/{themes[3]}/split/", {"label_1": "Only one"})
    assert half.status_code == 400
    assert "Name at least two new themes" in text_of(half.content.decode())
    assert (
        analyst_client.post(
            f"{q}themes/{themes[3]}/split/",
            {
                "label_1": "Funding",
                "terms_1": "funding, budget",
                "label_2": "Staff",
                "terms_2": "staff",
            },
        ).status_code
        == 302
    )
    assert analyst_client.post(f"{q}themes/{themes[4]}/delete/").status_code == 302
    assert (
        analyst_client.post(
            f"{q}add-theme/", {"label": "Training", "seed_terms": "training, courses"}
        ).status_code
        == 302
    )
    gone = analyst_client.get(f"{q}themes/{themes[4]}/")
    assert gone.status_code == 404
    kinds = list(AnalystChange.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["rename", "merge", "split", "delete", "add"]
    page = text_of(analyst_client.get(q).content.decode())
    assert "Keep the boards" in page
    assert "Merged theme" in page
    assert "Training" in page
    assert "Counted at the next run" in page
    history = text_of(analyst_client.get(f"{base(consultation)}changes/").content.decode())
    assert history.count(analyst.username) == 5
    assert "Next run" in history
    overview = text_of(analyst_client.get(base(consultation)).content.decode())
    assert "5 changes since this run" in overview


def test_coding_a_response_through_its_page(
    analyst_client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    ref = next(q["ref"] for q in run.summary["questions"] if q["asks_agreement"])
    row = ThemeAssignmentRow.objects.filter(run=run, question_ref=ref).first()
    assert row is not None
    url = f"{base(consultation)}responses/{row.response_id}/"
    page = analyst_client.get(url).content.decode()
    answer = Answer.objects.get(response_id=row.response_id, question_id=int(ref))
    assert text_of(answer.text).strip()[:40] in text_of(page)
    assert f'name="code-{ref}-theme_ids"' in page
    themes = [str(t["id"]) for t in themes_of(run, ref)]
    bad = analyst_client.post(f"{url}code/{ref}/", {f"code-{ref}-theme_ids": ["nonsense"]})
    assert bad.status_code == 400
    assert "Select a valid choice" in text_of(bad.content.decode())
    saved = analyst_client.post(
        f"{url}code/{ref}/",
        {f"code-{ref}-theme_ids": themes[:2], f"code-{ref}-stance": "agree"},
    )
    assert saved.status_code == 302
    coded = AnalystChange.objects.filter(response_id=row.response_id).order_by("id")
    assert [c.kind for c in coded] == [ChangeKind.CODE_THEMES, ChangeKind.CODE_STANCE]
    assert coded[0].payload == {"theme_ids": themes[:2]}
    page = analyst_client.get(url).content.decode()
    assert "Not yet run" in text_of(page)
    for theme in themes[:2]:
        assert re.search(rf'value="{re.escape(theme)}"\s+checked', page)
    response = AuditEvent.objects.filter(action=AuditAction.VIEW_RESPONSE).latest("at")
    assert response.record_ids == [row.response_id]


def test_campaign_pages_show_template_members_and_additions(
    analyst_client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    campaigns = text_of(analyst_client.get(f"{base(consultation)}campaigns/").content.decode())
    first = run.summary["campaigns"]["campaigns"][0]
    assert "Campaign 1 " in campaigns
    page = analyst_client.get(f"{base(consultation)}campaigns/{first['id']}/").content.decode()
    text = text_of(page)
    assert next(iter(first["template_texts"].values()))[:60] in text
    assert "The campaign’s text" in text
    members = CampaignMembership.objects.filter(run=run, campaign_key=first["id"])
    edited = analyst_client.get(f"{base(consultation)}campaigns/{first['id']}/?show=edited")
    shown = re.findall(r"MOOT-\w{4}-\w{4}", edited.content.decode())
    expected = set(
        members.filter(is_exact_copy=False).values_list("response__reference", flat=True)
    )
    assert set(shown) <= expected | {
        Response.objects.get(pk=first["template_response_id"]).reference
    }
    assert analyst_client.get(f"{base(consultation)}campaigns/nope/").status_code == 404


def test_analysts_name_a_campaign_and_the_summary_uses_the_name(
    analyst_client: Client, analyst: User, consultation: Consultation, run: AnalysisRun
) -> None:
    first, second = run.summary["campaigns"]["campaigns"][:2]
    url = f"{base(consultation)}campaigns/{first['id']}/"
    saved = analyst_client.post(url, {"campaign-name": "  Save Our  Libraries letter "})
    assert saved.status_code == 302
    assert CampaignName.objects.get(campaign_key=first["id"]).name == "Save Our Libraries letter"
    assert "Save Our Libraries letter" in text_of(analyst_client.get(url).content.decode())
    listing = text_of(analyst_client.get(f"{base(consultation)}campaigns/").content.decode())
    assert "Save Our Libraries letter" in listing
    assert f"Campaign {second['number']}" in listing

    # The same name twice, or one with a line break, is refused and changes nothing.
    clash = analyst_client.post(
        f"{base(consultation)}campaigns/{second['id']}/",
        {"campaign-name": "Save Our Libraries letter"},
    )
    assert clash.status_code == 400
    assert "Another campaign is already called" in text_of(clash.content.decode())
    broken = analyst_client.post(url, {"campaign-name": "Save\nOur"})
    assert broken.status_code == 400
    assert CampaignName.objects.get(campaign_key=first["id"]).name == "Save Our Libraries letter"
    assert not CampaignName.objects.filter(campaign_key=second["id"]).exists()

    summary = analysis_summary_generate(run=run, by=analyst)
    assert "| Save Our Libraries letter |" in summary.body
    assert f"| Campaign {second['number']} |" in summary.body
    assert f"| Campaign {first['number']} |" not in summary.body

    # An empty name gives the campaign its number back.
    assert analyst_client.post(url, {"campaign-name": ""}).status_code == 302
    assert not CampaignName.objects.filter(campaign_key=first["id"]).exists()


def test_only_the_departments_analysts_can_name_its_campaigns(
    client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    url = f"{base(consultation)}campaigns/{run.summary['campaigns']['campaigns'][0]['id']}/"
    client.force_login(UserFactory(department=DepartmentFactory()))
    assert client.post(url, {"campaign-name": "Hijacked"}).status_code == 403
    client.force_login(UserFactory(department=consultation.department, roles=(EDITORS,)))
    assert client.post(url, {"campaign-name": "Hijacked"}).status_code == 403
    assert not CampaignName.objects.exists()


def test_a_new_response_is_probably_part_of_a_campaign(
    analyst_client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    campaign = run.summary["campaigns"]["campaigns"][0]
    questions = {str(q.pk): q for q in consultation.questions.all()}
    response, _ = response_record(
        consultation=consultation,
        channel=Channel.EMAIL,
        received_at=consultation.closes_at,
        respondent=RespondentDetails(name="Late Sender", email="late@example.org"),
        answers={
            questions[ref]: AnswerValue(text=text + " I live in Northfield.")
            for ref, text in campaign["template_texts"].items()
        },
    )
    Response.objects.filter(pk=response.pk).update(status="submitted")
    overview = text_of(analyst_client.get(base(consultation)).content.decode())
    assert "1 more response has been counted since this run" in overview
    staff_page = text_of(
        analyst_client.get(
            reverse("consultations:staff_response", args=[consultation.slug, response.pk])
        ).content.decode()
    )
    assert f"Probably part of Campaign {campaign['number']}" in staff_page
    page = text_of(
        analyst_client.get(f"{base(consultation)}responses/{response.pk}/").content.decode()
    )
    assert f"probably part of Campaign {campaign['number']}" in page
    member = CampaignMembership.objects.filter(run=run, is_template=False).first()
    assert member is not None
    member_page = text_of(
        analyst_client.get(
            reverse("consultations:staff_response", args=[consultation.slug, member.response_id])
        ).content.decode()
    )
    assert "Part of Campaign" in member_page


def test_publishing_the_summary_through_the_page_and_the_public_downloads(
    client: Client, analyst_client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    public = f"/consultations/{consultation.slug}/summary-of-responses/"
    assert client.get(f"{public}download.pdf").status_code == 404
    page = text_of(analyst_client.get(f"{base(consultation)}summary/").content.decode())
    assert "Publish summary of responses" in page
    assert "How we analysed the responses" in page
    published = analyst_client.post(f"{base(consultation)}summary/", {"action": "publish"})
    assert published.status_code == 302
    assert published["Location"] == public
    summary_page = client.get(public).content.decode()
    assert "How we analysed the responses" in text_of(summary_page)
    for fmt, kind, start in (
        ("pdf", "application/pdf", b"%PDF"),
        ("csv", "text/csv", b"\xef\xbb\xbfsection"),
        ("xlsx", "application/vnd.openxmlformats", b"PK"),
    ):
        assert f"download.{fmt}" in summary_page
        download = client.get(f"{public}download.{fmt}")
        assert download.status_code == 200, fmt
        assert download["Content-Type"].startswith(kind)
        assert download.content.startswith(start)
    assert client.get(f"{public}download.exe").status_code == 404
    consultation_page = client.get(f"/consultations/{consultation.slug}/").content.decode()
    assert 'data-testid="summary-link"' in consultation_page


def test_publishing_without_a_final_document_says_what_is_missing(
    analyst_client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    consultation.attachments.all().delete()
    refused = analyst_client.post(f"{base(consultation)}summary/", {"action": "publish"})
    assert refused.status_code == 400
    assert "Attach the final document" in text_of(refused.content.decode())
    from tests.samples import make_docx

    upload = io.BytesIO(make_docx("The final guidance."))
    upload.name = "final.docx"
    published = analyst_client.post(
        f"{base(consultation)}summary/",
        {"action": "publish", "final_document_title": "Final guidance", "final_document": upload},
    )
    assert published.status_code == 302


def test_analysts_without_content_rights_save_a_draft_for_an_editor(
    client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    from moot.core.permissions import ANALYSTS

    client.force_login(UserFactory(department=consultation.department, roles=(ANALYSTS,)))
    page = text_of(client.get(f"{base(consultation)}summary/").content.decode())
    assert "An editor of the consultation publishes the outcome" in page
    saved = client.post(f"{base(consultation)}summary/", {"action": "publish"})
    assert saved["Location"] == f"/staff/consultations/{consultation.slug}/summary/"
    consultation.refresh_from_db()
    assert consultation.outcome_published_at is None
    assert consultation.response_summary.source == "generated"


def test_staff_consultation_page_links_to_the_analysis(
    analyst_client: Client, consultation: Consultation
) -> None:
    page = analyst_client.get(f"/staff/consultations/{consultation.slug}/").content.decode()
    assert f'href="{base(consultation)}"' in page
    assert f'href="{base(consultation)}summary/"' in page


def test_list_pages_make_a_fixed_number_of_queries(
    analyst_client: Client,
    consultation: Consultation,
    run: AnalysisRun,
    django_assert_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    ref = free_refs(run)[0]
    theme = themes_of(run, ref)[0]["id"]
    campaign = run.summary["campaigns"]["campaigns"][0]["id"]
    b = base(consultation)
    for url, queries in (
        (f"{b}campaigns/{campaign}/", 11),
        # one more each for the evidence flags of the answers listed
        (f"{b}questions/{ref}/themes/{theme}/", 13),
        (f"{b}questions/{ref}/themes/{theme}/?evidence=1", 13),
        (f"{b}questions/{ref}/review/", 12),
        (f"{b}questions/{ref}/review/?evidence=1", 13),
        (f"{b}questions/{ref}/", 12),
        (f"{b}runs/", 7),
        (f"{b}changes/", 7),
    ):
        with django_assert_num_queries(queries):
            assert analyst_client.get(url).status_code == 200, url


def test_staff_download_the_saved_summary_before_it_is_published(
    client: Client, analyst_client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    staff = f"{base(consultation)}summary/download.pdf"
    assert analyst_client.get(staff).status_code == 404
    analyst_client.post(f"{base(consultation)}summary/", {"action": "draft"})
    page = analyst_client.get(f"{base(consultation)}summary/").content.decode()
    assert 'data-testid="staff-downloads"' in page
    for fmt in ("pdf", "csv", "xlsx"):
        download = analyst_client.get(f"{base(consultation)}summary/download.{fmt}")
        assert download.status_code == 200, fmt
        assert download["Cache-Control"] == "no-store"
    public = f"/consultations/{consultation.slug}/summary-of-responses/download.pdf"
    assert client.get(public).status_code == 404
    client.force_login(UserFactory(department=DepartmentFactory()))
    assert client.get(staff).status_code == 403
