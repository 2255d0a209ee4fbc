"""The lifecycle services, the staff buttons that call them, and the published outcome."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from moot.consultations.models import Attachment, Consultation, ConsultationStatus, SummarySource
from moot.consultations.selectors.consultations import final_document_current
from moot.consultations.services.lifecycle import (
    consultation_close_early,
    consultation_publish,
    consultation_publish_outcome,
    consultation_start_analysis,
    final_document_add,
    response_summary_save,
)
from moot.core.errors import FileRejected, InvalidTransition
from moot.core.models import User
from tests.consultations.conftest import closed
from tests.factories import ConsultationFactory, SectionFactory, UserFactory
from tests.pages import text_of
from tests.samples import make_docx, make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def by() -> User:
    return UserFactory()


def test_the_whole_lifecycle_in_order(by: User) -> None:
    now = timezone.now()
    consultation = ConsultationFactory(
        published_at=None,
        opens_at=now + dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
    )
    assert consultation.status == ConsultationStatus.DRAFT
    consultation = consultation_publish(consultation=consultation, by=by)
    assert consultation.status == ConsultationStatus.UPCOMING
    assert consultation.status_at(now + dt.timedelta(days=2)) == ConsultationStatus.OPEN
    later = now + dt.timedelta(days=2)
    consultation = consultation_close_early(consultation=consultation, by=by, now=later)
    assert consultation.status_at(later + dt.timedelta(seconds=1)) == ConsultationStatus.CLOSED
    after = later + dt.timedelta(days=1)
    consultation = consultation_start_analysis(consultation=consultation, by=by, now=after)
    assert consultation.status_at(after) == ConsultationStatus.ANALYSING
    response_summary_save(consultation=consultation, body="Most agreed.")
    consultation = consultation_publish_outcome(
        consultation=consultation,
        by=by,
        final_document_title="Final guidance",
        final_document_data=make_docx("The final guidance"),
        now=after,
    )
    assert consultation.status_at(after) == ConsultationStatus.OUTCOME_PUBLISHED
    assert consultation.response_summary.published_at == after


@pytest.mark.parametrize(
    ("service", "state"),
    [
        (consultation_publish, "open"),
        (consultation_close_early, "closed"),
        (consultation_close_early, "draft"),
        (consultation_start_analysis, "open"),
        (consultation_start_analysis, "draft"),
        (consultation_publish_outcome, "open"),
        (consultation_publish_outcome, "upcoming"),
    ],
)
def test_transitions_from_the_wrong_state_are_refused(by: User, service, state: str) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    consultation = ConsultationFactory()
    if state == "closed":
        closed(consultation)
    elif state == "draft":
        consultation.published_at = None
        consultation.save()
    elif state == "upcoming":
        consultation.opens_at = now + dt.timedelta(days=1)
        consultation.save()
    before = Consultation.objects.get(pk=consultation.pk)
    with pytest.raises(InvalidTransition):
        service(consultation=consultation, by=by)
    after = Consultation.objects.get(pk=consultation.pk)
    assert (
        after.published_at,
        after.closes_at,
        after.analysis_started_at,
        after.outcome_published_at,
    ) == (
        before.published_at,
        before.closes_at,
        before.analysis_started_at,
        before.outcome_published_at,
    )


def test_outcome_needs_a_summary_and_a_final_document(by: User) -> None:
    consultation = closed(ConsultationFactory())
    with pytest.raises(InvalidTransition, match="summary"):
        consultation_publish_outcome(consultation=consultation, by=by)
    response_summary_save(consultation=consultation, body="Summary.")
    with pytest.raises(InvalidTransition, match="final document"):
        consultation_publish_outcome(consultation=consultation, by=by)
    with pytest.raises(FileRejected):
        consultation_publish_outcome(
            consultation=consultation, by=by, final_document_data=make_pdf("x", password="pw")
        )
    consultation.refresh_from_db()
    assert consultation.outcome_published_at is None
    assert not Attachment.objects.filter(consultation=consultation).exists()


def test_a_generated_summary_keeps_its_figures(by: User) -> None:
    consultation = closed(ConsultationFactory())
    summary = response_summary_save(
        consultation=consultation,
        body="## What people said\n\n70% agreed.",
        source=SummarySource.GENERATED,
        generated_by="analysis run 3",
        figures={"q1": {"Agree": 7, "Disagree": 3}},
    )
    assert summary.generated_at is not None
    assert summary.figures["q1"]["Agree"] == 7


def test_staff_buttons_walk_the_lifecycle_and_publish_the_outcome(
    client: Client, consultation: Consultation
) -> None:
    client.force_login(UserFactory(department=consultation.department))
    SectionFactory(
        consultation=consultation, kind="results", heading="Plans for making results public"
    )
    base = f"/staff/consultations/{consultation.slug}/"
    page = client.get(base).content.decode()
    assert "Close it now" in page
    client.post(f"{base}status/close-early/")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED
    refused = client.post(f"{base}status/close-early/", follow=True)
    assert "You cannot close it early" in text_of(refused.content.decode())
    assert client.post(f"{base}status/teleport/").status_code == 404
    client.post(f"{base}status/start-analysis/")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANALYSING

    no_summary = client.post(f"{base}outcome/", {"final_document_title": "Final guidance"})
    assert no_summary.status_code == 400
    assert "Write the summary of responses" in text_of(no_summary.content.decode())
    empty = client.post(f"{base}summary/", {"title": "Summary of responses", "body": ""})
    assert "Enter the summary of responses" in text_of(empty.content.decode())
    client.post(
        f"{base}summary/",
        {
            "title": "Summary of responses",
            "body": "## Overview\n\nMost respondents agreed.<script>x</script>",
        },
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    published = client.post(
        f"{base}outcome/",
        {
            "final_document_title": "Final guidance",
            "final_document": SimpleUploadedFile("final.docx", make_docx("The final guidance")),
        },
    )
    assert published.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OUTCOME_PUBLISHED

    public = client.get(consultation.get_absolute_url()).content.decode()
    results = public.split('data-section-kind="results"', 1)[1]
    assert f"/consultations/{consultation.slug}/summary-of-responses/" in results
    assert "Final guidance" in results
    summary_page = client.get(f"/consultations/{consultation.slug}/summary-of-responses/")
    html = summary_page.content.decode()
    assert "Most respondents agreed." in html
    assert "<script>x</script>" not in html
    assert client.get(f"/consultations/{consultation.slug}/published-responses/").status_code == 200


def test_summary_and_published_responses_are_hidden_until_the_outcome(
    client: Client, consultation: Consultation
) -> None:
    response_summary_save(consultation=consultation, body="Draft summary.")
    assert (
        client.get(f"/consultations/{consultation.slug}/summary-of-responses/").status_code == 404
    )
    assert client.get(f"/consultations/{consultation.slug}/published-responses/").status_code == 404


def test_a_second_final_document_is_refused_unless_it_replaces_the_first(by: User) -> None:
    consultation = closed(ConsultationFactory())
    response_summary_save(consultation=consultation, body="Summary.")
    first = final_document_add(
        consultation=consultation, title="Final guidance", data=make_docx("Final guidance")
    )
    with pytest.raises(InvalidTransition, match="already has a final document"):
        consultation_publish_outcome(
            consultation=consultation,
            by=by,
            final_document_title="Final guidance again",
            final_document_data=make_docx("By accident"),
        )
    consultation.refresh_from_db()
    assert consultation.outcome_published_at is None
    assert list(Attachment.objects.filter(role="final_document")) == [first]

    consultation_publish_outcome(
        consultation=consultation,
        by=by,
        final_document_title="Final guidance, corrected",
        final_document_data=make_docx("Corrected"),
        replaces_final=True,
    )
    first.refresh_from_db()
    current = final_document_current(consultation=consultation)
    assert current is not None
    assert current.title == "Final guidance, corrected"
    assert current.replaces == first
    assert first.superseded_at is not None


def test_the_database_refuses_two_current_final_documents() -> None:
    from django.db import IntegrityError, transaction

    consultation = closed(ConsultationFactory())
    final_document_add(consultation=consultation, title="One", data=make_docx("One"))
    with pytest.raises(IntegrityError), transaction.atomic():
        # As the admin or a bug might: a second row straight into the table.
        Attachment.objects.create(
            consultation=consultation,
            role="final_document",
            title="Two",
            file="attachments/two.docx",
            content_type="application/msword",
            size_bytes=1,
            sha256="0" * 64,
        )


def test_the_outcome_page_publishes_a_new_version_and_keeps_the_earlier_one(
    client: Client, consultation: Consultation
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = UserFactory(department=consultation.department)
    client.force_login(staff)
    SectionFactory(consultation=consultation, kind="results", heading="Results")
    closed(consultation)
    response_summary_save(consultation=consultation, body="Most agreed.")
    base = f"/staff/consultations/{consultation.slug}/outcome/"
    published = client.post(
        base,
        {
            "final_document_title": "Final guidance",
            "final_document": SimpleUploadedFile("final.docx", make_docx("Final")),
        },
    )
    assert published.status_code == 302
    twice = client.post(
        base,
        {
            "final_document_title": "Final guidance",
            "final_document": SimpleUploadedFile("final.docx", make_docx("Final")),
        },
    )
    assert twice.status_code == 400
    assert "already has a final document" in text_of(twice.content.decode())
    assert Attachment.objects.filter(role="final_document").count() == 1
    replaced = client.post(
        base,
        {
            "final_document_title": "Final guidance (revised)",
            "final_document": SimpleUploadedFile("final.docx", make_docx("Revised")),
            "replaces_final": ["yes"],
        },
    )
    assert replaced.status_code == 302
    page = client.get(consultation.get_absolute_url()).content.decode()
    outcome = text_of(page.split('data-testid="outcome"', 1)[1])
    assert "Final guidance (revised)" in outcome
    assert "Earlier versions of the final document" in outcome
    assert re.search(r"Final guidance\s*, replaced on", outcome)
