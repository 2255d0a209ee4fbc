"""The published summary of responses: its figures, quotes that respect consent and
confidentiality, its text, its publication with the outcome, and its downloads."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from moot.analysis.models import AnalysisRun, ThemeAssignmentRow
from moot.analysis.quotes import attribution, publishable_quote, redact, trim
from moot.analysis.reports.markdown import escape, summary_markdown
from moot.analysis.reports.pdf import summary_pdf
from moot.analysis.reports.tables import COLUMNS, figures_csv, figures_xlsx
from moot.analysis.selectors.report import summary_figures, theme_quotes
from moot.analysis.services.summary import analysis_summary_generate, analysis_summary_publish
from moot.consultations.models import (
    Answer,
    Attachment,
    AttachmentRole,
    Consultation,
    ConsultationStatus,
    PublicationConsent,
    RespondentRole,
    Response,
    ResponseSummary,
    SummarySource,
)
from moot.core.errors import InvalidTransition
from moot.core.markdown import render_markdown
from moot.core.models import User
from tests.analysis.conftest import RESPONSES, free_refs, themes_of

pytestmark = pytest.mark.django_db


def test_figures_hold_every_number_the_summary_shows(run: AnalysisRun) -> None:
    figures = summary_figures(run=run)
    assert figures["totals"]["responses"] == RESPONSES
    assert sum(r["count"] for r in figures["totals"]["by_channel"]) == RESPONSES
    assert {r["label"] for r in figures["totals"]["by_respondent_type"]} <= {
        "Individuals",
        "Organisations",
    }
    assert figures["campaigns"]["count"] == len(run.summary["campaigns"]["campaigns"]) > 0
    assert figures["campaigns"]["responses"] == run.summary["campaigns"]["campaign_response_count"]
    kinds = {q["kind"]: q for q in figures["questions"]}
    closed = kinds["agreement_scale"]["closed"]
    assert sum(o["all_submissions"] for o in closed["options"]) == closed["answered"]
    free = kinds["free_text"]["free"]
    assert free["themes"]
    assert all("quotes" in t for t in free["themes"])
    assert figures["run"]["engine_version"] == run.engine_version
    assert figures["run"]["params"] == run.params
    assert figures["method_parameters"]["min_campaign_size"] == run.params["min_campaign_size"]


def test_quotes_come_only_from_consenting_responses_and_name_no_individual(
    consultation: Consultation, run: AnalysisRun
) -> None:
    ref = free_refs(run)[0]
    theme = str(themes_of(run, ref)[0]["id"])
    members = ThemeAssignmentRow.objects.filter(run=run, question_ref=ref, theme_key=theme)
    ids = list(members.exclude(source="campaign").values_list("response_id", flat=True))
    assert len(ids) >= 2
    Response.objects.filter(consultation=consultation).update(
        publication_consent=PublicationConsent.DO_NOT_PUBLISH
    )
    assert theme_quotes(run=run, question_ref=ref, theme_key=theme) == []
    anonymous, named = ids[0], ids[1]
    Response.objects.filter(pk=anonymous).update(
        publication_consent=PublicationConsent.ANONYMOUSLY,
        respondent_type="individual",
        wants_confidentiality=True,
    )
    Response.objects.filter(pk=named).update(
        publication_consent=PublicationConsent.WITH_NAME,
        respondent_type="individual",
        respondent_name="Jane Quotable",
    )
    quotes = theme_quotes(run=run, question_ref=ref, theme_key=theme, limit=5)
    assert 1 <= len(quotes) <= 2
    for quote in quotes:
        assert "Jane" not in quote["attribution"]
        assert "Quotable" not in quote["text"]
        assert quote["attribution"].startswith(("a ", "an "))


def test_attribution_names_only_organisations_that_agreed() -> None:
    role = RespondentRole(label="Voluntary sector")
    parent = RespondentRole(label="Parent or carer")

    def response(**fields: object) -> Response:
        values = {
            "respondent_type": "organisation",
            "organisation_name": "Harbour Youth Trust",
            "respondent_name": "Pat Jones",
            "publication_consent": PublicationConsent.WITH_NAME,
            "wants_confidentiality": False,
            "role": role,
            **fields,
        }
        return Response(**values)

    assert attribution(response()) == "Harbour Youth Trust"
    assert attribution(response(wants_confidentiality=True)) == "an organisation (voluntary sector)"
    assert (
        attribution(response(publication_consent=PublicationConsent.ANONYMOUSLY))
        == "an organisation (voluntary sector)"
    )
    assert attribution(response(respondent_type="individual", role=parent)) == "a parent or carer"
    assert attribution(response(respondent_type="individual", role=None)) == "an individual"
    no_consent = response(publication_consent=PublicationConsent.DO_NOT_PUBLISH)
    assert publishable_quote(no_consent, "A perfectly good sentence to quote here.") == ""
    assert publishable_quote(response(publication_consent=""), "Another good sentence here.") == ""


def test_quotes_lose_contact_details_names_and_sign_offs() -> None:
    text = (
        "With regards to the proposal, Pat Jones of Harbour Youth Trust thinks it risky. "
        "Ring 07700 900123, write to pat@example.org, visit www.example.org or SW1A 1AA. "
        "Dr Smith agrees.\n\nYours sincerely,\nPat Jones\nChief Executive"
    )
    cleaned = redact(text, names=("Pat Jones", "Pat", "Jones", "Harbour Youth Trust"))
    assert cleaned == (
        "With regards to the proposal, [name] of [name] thinks it risky. Ring [phone number], "
        "write to [email address], visit [web address] or [postcode]. [name] agrees."
    )
    long = "First sentence is here. " * 30
    assert trim(long).endswith("here.")
    assert len(trim(long)) <= 400
    assert trim("word " * 200).endswith("…")


def test_the_text_escapes_what_people_wrote(run: AnalysisRun) -> None:
    figures = summary_figures(run=run)
    hostile = "[click](javascript:alert(1)) <script>x</script> | # *bold*"
    figures["questions"][1]["text"] = hostile
    html = str(render_markdown(summary_markdown(figures=figures)))
    assert "<script" not in html
    assert "<a " not in html
    assert "href" not in html
    assert "[click](javascript:alert(1)) &lt;script&gt;x&lt;/script&gt; | # *bold*" in html
    autolink = str(render_markdown(escape("<https://example.org>")))
    assert "href" not in autolink
    assert escape("1. not a list") == "1\\. not a list"
    assert escape("- not a bullet") == "\\- not a bullet"


def test_generated_summary_is_saved_through_the_consultations_app(
    consultation: Consultation, run: AnalysisRun, analyst: User
) -> None:
    summary = analysis_summary_generate(run=run, by=analyst)
    assert summary.source == SummarySource.GENERATED
    assert summary.generated_by == f"analysis run {run.number} (engine {run.engine_version})"
    assert summary.published_at is None
    assert "## Campaigns" in summary.body
    assert "## How we analysed the responses" in summary.body
    assert summary.figures["totals"]["responses"] == RESPONSES
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANALYSING


def test_publishing_needs_a_final_document_and_changes_nothing_without_one(
    consultation: Consultation, run: AnalysisRun, analyst: User
) -> None:
    Attachment.objects.filter(consultation=consultation).delete()
    with pytest.raises(InvalidTransition, match="final document"):
        analysis_summary_publish(run=run, by=analyst)
    assert not ResponseSummary.objects.exists()
    consultation.refresh_from_db()
    assert consultation.outcome_published_at is None


def test_publishing_publishes_the_outcome_and_republishing_updates_it(
    consultation: Consultation, run: AnalysisRun, analyst: User
) -> None:
    summary = analysis_summary_publish(run=run, by=analyst)
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OUTCOME_PUBLISHED
    assert summary.published_at is not None
    assert consultation.published_summary == summary
    first_published = summary.published_at
    again = analysis_summary_publish(run=run, by=analyst)
    assert again.pk == summary.pk
    assert again.published_at == first_published
    assert (
        Attachment.objects.filter(
            consultation=consultation, role=AttachmentRole.FINAL_DOCUMENT
        ).count()
        == 1
    )


def test_the_pdf_is_the_same_report(run: AnalysisRun, analyst: User) -> None:
    summary = analysis_summary_generate(run=run, by=analyst)
    data = summary_pdf(
        title=summary.title,
        consultation_title=run.consultation.title,
        byline="Department for Education, 1 July 2026",
        body=summary.body + "\n\nCurly “quotes” — and a dash, café.\n",
    )
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert reader.metadata is not None
    assert reader.metadata.title.startswith("Summary of responses")
    assert "How we analysed the responses" in text
    label = summary.figures["questions"][1]["free"]["themes"][0]["label"]
    assert label.split()[0] in text
    assert "café" in text


def test_csv_and_xlsx_carry_the_tallies_and_theme_counts(run: AnalysisRun) -> None:
    figures = summary_figures(run=run)
    figures["questions"][1]["free"]["themes"][0]["label"] = "=HYPERLINK(1)"
    rows = list(csv.reader(io.StringIO(figures_csv(figures=figures).decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    sections = {row[0] for row in rows[1:]}
    assert {"responses by channel", "campaigns", "answers", "themes", "stance"} <= sections
    assert [row[3] for row in rows if row[3].endswith("HYPERLINK(1)")] == ["'=HYPERLINK(1)"]
    book = load_workbook(io.BytesIO(figures_xlsx(figures=figures)))
    sheet = book["Figures"]
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == COLUMNS
    assert len(cells) == len(rows)
    formula = next(row for row in cells if row[3] == "=HYPERLINK(1)")
    assert formula[0] == "themes"
    assert sheet.cell(row=cells.index(formula) + 1, column=4).data_type == "s"
    method = {row[0]: row[1] for row in book["Method"].iter_rows(values_only=True)}
    assert method["run engine version"] == run.engine_version
    assert method["parameter seed"] == "0"


def test_quotes_never_come_from_campaigns_nor_repeat_within_a_question(
    consultation: Consultation, run: AnalysisRun
) -> None:
    from moot.analysis.models import CampaignMembership
    from moot.analysis.quotes import canonical

    members = CampaignMembership.objects.filter(run=run).values_list("response_id", flat=True)
    campaign_texts = {
        canonical(text)
        for text in Answer.objects.filter(response_id__in=members).values_list("text", flat=True)
        if text
    }
    figures = summary_figures(run=run)
    quoted = 0
    for question in figures["questions"]:
        if not question["free"]:
            continue
        texts = [canonical(q["text"]) for t in question["free"]["themes"] for q in t["quotes"]]
        assert len(texts) == len(set(texts))
        quoted += len(texts)
        for text in texts:
            assert not any(text in campaign for campaign in campaign_texts)
    assert quoted > 0
